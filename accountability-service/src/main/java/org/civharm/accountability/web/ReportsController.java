package org.civharm.accountability.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.accountability.reports.AnnualReport;
import org.civharm.accountability.reports.GapReport;
import org.civharm.accountability.reports.MonthlyReport;
import org.civharm.accountability.reports.ReportFilter;
import org.civharm.accountability.reports.Reports;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The aggregate reports (public-facing figures): JSON, or CSV with {@code format=csv} or {@code Accept: text/csv}.
 * Each is folded from the case file as recorded at {@code asOf} (now without it), or with {@code timeline=OCCURRED} as
 * it stood in the world then. They hold case ids, dates, place
 * and operation names, statuses and figures only — no personal data, no free text.
 */
@RestController
@RequestMapping(path = "/reports", produces = {"application/json", "text/csv"})
@Tag(name = "Reports", description = "Monthly (Coalition format), gap (documented vs acknowledged), annual (NDAA §1057 shape)")
public class ReportsController {

    private static final int MAX_MONTHS = 120;

    private final Reports reports;

    public ReportsController(Reports reports) {
        this.reports = reports;
    }

    @GetMapping("/monthly")
    @Operation(summary = "Monthly report in the Coalition's format: carried over, new, reopened, completed (credible, "
            + "non-credible, duplicate), still open",
            description = "month (yyyy-MM, UTC); through: last month of a range (inclusive, at most 120 months). A step "
                    + "counts in the month it happened (occurredAt); asOf limits the steps to those on record then. "
                    + "Each month balances: carriedOver + new + reopened - completed.total = stillOpen.")
    public ResponseEntity<Object> monthly(@RequestParam String month,
                                          @RequestParam(required = false) String through,
                                          @RequestParam(required = false) String operation,
                                          @Parameter(description = "ISO-8601 instant, or a date (its end, UTC)")
                                          @RequestParam(required = false) String asOf,
                                          @Parameter(description = "RECORDED (default): asOf is what was on record then; "
                                                  + "OCCURRED: what had happened in the world by then")
                                          @RequestParam(required = false) String timeline,
                                          @RequestParam(required = false) String format,
                                          @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        YearMonth first = month("month", month);
        YearMonth last = through == null ? first : month("through", through);
        Problems problems = new Problems();
        Listing.checkText(problems, "operation", operation);
        if (last.isBefore(first)) {
            problems.add("through", "must not be before month");
        } else if (first.plusMonths(MAX_MONTHS - 1).isBefore(last)) {
            problems.add("through", "must be at most " + MAX_MONTHS + " months after month");
        }
        problems.throwIfAny();
        boolean csv = Formats.wantsCsv(format, accept);
        Instant at = Formats.asOf(asOf);
        List<MonthlyReport.Month> months = reports.monthly(filter(operation, null, null), first, last, at,
                Formats.byOccurrence(timeline));
        if (csv) {
            return Formats.csv(Reports.monthlyTable(months), "monthly-" + first + (last.equals(first) ? "" : "-" + last));
        }
        return Formats.json(new Monthly(operation, at, months));
    }

    @GetMapping("/gap")
    @Operation(summary = "Gap report: documented vs acknowledged civilian deaths and injuries (min-max) by operation, "
            + "place and month of the incident, with subtotals per operation and a total",
            description = "Duplicates are left out of the sums (counted apart); acknowledged = conceded in a credible "
                    + "assessment; unacknowledged = documented.min - acknowledged.max .. documented.max - "
                    + "acknowledged.min, not below 0. operation: contains, case-insensitive; from/to: incident dates")
    public ResponseEntity<Object> gap(@RequestParam(required = false) String operation,
                                      @RequestParam(required = false) LocalDate from,
                                      @RequestParam(required = false) LocalDate to,
                                      @Parameter(description = "ISO-8601 instant, or a date (its end, UTC)")
                                      @RequestParam(required = false) String asOf,
                                      @Parameter(description = "RECORDED (default): asOf is what was on record then; "
                                              + "OCCURRED: what had happened in the world by then")
                                      @RequestParam(required = false) String timeline,
                                      @RequestParam(required = false) String format,
                                      @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        Problems problems = new Problems();
        Listing.checkText(problems, "operation", operation);
        Listing.checkRange(problems, from, to);
        problems.throwIfAny();
        boolean csv = Formats.wantsCsv(format, accept);
        Instant at = Formats.asOf(asOf);
        GapReport.Result result = reports.gap(filter(operation, from, to), at, Formats.byOccurrence(timeline));
        if (csv) {
            return Formats.csv(Reports.gapTable(result), "gap");
        }
        return Formats.json(new Gap(operation, from, to, at, result.rows(), result.byOperation(), result.total()));
    }

    @GetMapping("/annual")
    @Operation(summary = "Annual report in the NDAA §1057 shape: each incident of the year with date, location, "
            + "operation, civilians killed and injured (documented and acknowledged), enemy casualties (not recorded), "
            + "investigation status and amends paid",
            description = "Incidents whose date range starts in the year (UTC). Amends paid are exact sums per currency.")
    public ResponseEntity<Object> annual(@RequestParam int year,
                                         @RequestParam(required = false) String operation,
                                         @Parameter(description = "ISO-8601 instant, or a date (its end, UTC)")
                                         @RequestParam(required = false) String asOf,
                                         @Parameter(description = "RECORDED (default): asOf is what was on record then; "
                                                 + "OCCURRED: what had happened in the world by then")
                                         @RequestParam(required = false) String timeline,
                                         @RequestParam(required = false) String format,
                                         @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        Problems problems = new Problems();
        Listing.checkText(problems, "operation", operation);
        if (year < 1900 || year > 2200) {
            problems.add("year", "must be between 1900 and 2200");
        }
        problems.throwIfAny();
        boolean csv = Formats.wantsCsv(format, accept);
        Instant at = Formats.asOf(asOf);
        AnnualReport.Result result = reports.annual(filter(operation, null, null), year, at,
                Formats.byOccurrence(timeline));
        if (csv) {
            return Formats.csv(Reports.annualTable(result), "annual-" + year);
        }
        return Formats.json(new Annual(year, operation, at, AnnualReport.NOT_RECORDED
                + ": civharm records civilian harm only; enemy killed and injured are not in its data",
                result.incidents(), result.totals()));
    }

    private static ReportFilter filter(String operation, LocalDate from, LocalDate to) {
        return new ReportFilter(Listing.blankToNull(operation), from, to);
    }

    private static YearMonth month(String name, String value) {
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw InvalidRequestException.of(name, "must be a month such as 2018-07");
        }
    }

    /** The monthly report: one entry per month asked. */
    public record Monthly(String operation, Instant asOf, List<MonthlyReport.Month> months) {
    }

    /** The gap report. */
    public record Gap(String operation, LocalDate from, LocalDate to, Instant asOf, List<GapReport.Row> rows,
                      List<GapReport.Row> byOperation, GapReport.Row total) {
    }

    /** The annual report. */
    public record Annual(int year, String operation, Instant asOf, String enemyCasualties,
                         List<AnnualReport.Incident> incidents, AnnualReport.Totals totals) {
    }
}
