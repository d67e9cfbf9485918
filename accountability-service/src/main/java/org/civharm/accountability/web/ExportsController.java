package org.civharm.accountability.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.audit.ExportLog;
import org.civharm.accountability.reports.ExportTables;
import org.civharm.accountability.reports.ReportFilter;
import org.civharm.accountability.reports.Reports;
import org.civharm.accountability.reports.Table;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Data exports for auditors, CSV or JSON, folded from the case file; every export is recorded first. */
@RestController
@RequestMapping(path = "/exports", produces = {"application/json", "text/csv"})
@Tag(name = "Exports", description = "Incidents, sources, casualty figures and amends as CSV or JSON; every export is recorded")
public class ExportsController {

    private final Reports reports;
    private final ExportLog log;

    public ExportsController(Reports reports, ExportLog log) {
        this.reports = reports;
        this.log = log;
    }

    @GetMapping("/{kind}")
    @Operation(summary = "Export incidents, sources, casualties or amends (CSV with format=csv or Accept: text/csv; "
            + "JSON otherwise); recorded in the export log (who, when, what filter)",
            description = "kind: incidents | sources | casualties | amends. operation: contains, case-insensitive; "
                    + "from/to: the incident date range overlaps; status: incident status; asOf: as recorded then. "
                    + "CSV cells that a spreadsheet would run as a formula are prefixed with an apostrophe.")
    public ResponseEntity<Object> export(@PathVariable String kind,
                                         @RequestParam(required = false) String operation,
                                         @RequestParam(required = false) LocalDate from,
                                         @RequestParam(required = false) LocalDate to,
                                         @RequestParam(required = false) IncidentStatus status,
                                         @Parameter(description = "ISO-8601 instant, or a date (its end, UTC)")
                                         @RequestParam(required = false) String asOf,
                                         @RequestParam(required = false) String format,
                                         @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        String who = Actors.current();
        ExportTables.Kind what;
        try {
            what = ExportTables.Kind.of(kind);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("kind", "must be incidents, sources, casualties or amends");
        }
        Problems problems = new Problems();
        Listing.checkText(problems, "operation", operation);
        Listing.checkRange(problems, from, to);
        problems.throwIfAny();
        boolean csv = Formats.wantsCsv(format, accept);
        Instant at = Formats.asOf(asOf);
        Table table = reports.export(what, new ReportFilter(Listing.blankToNull(operation), from, to), status, at);
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("operation", operation);
        filter.put("from", from);
        filter.put("to", to);
        filter.put("status", status);
        filter.put("asOf", at);
        log.record(who, what.label(), filter, csv ? "csv" : "json", table.rows().size());
        if (csv) {
            return Formats.csv(table, what.label());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", what.label());
        body.put("filter", filter);
        body.put("columns", table.columns());
        body.put("count", table.rows().size());
        body.put("rows", table.objects());
        return Formats.json(body);
    }

    @GetMapping("/log")
    @Operation(summary = "The export log, newest first: who exported what, when, with which filter")
    public List<ExportLog.Entry> exportLog(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw InvalidRequestException.of("limit", "must be between 1 and 1000");
        }
        return log.latest(limit);
    }
}
