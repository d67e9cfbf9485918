package org.civharm.accountability.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.Stage;
import org.civharm.accountability.reports.RegisterView;
import org.civharm.accountability.reports.ReportFilter;
import org.civharm.accountability.reports.Reports;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;

/** The register of cases as it stood on record at any instant, folded from the case file. */
@RestController
@RequestMapping(path = "/register", produces = "application/json")
@Tag(name = "Register", description = "Every case with its status as of a date, and documented vs acknowledged totals")
public class RegisterController {

    private final Reports reports;

    public RegisterController(Reports reports) {
        this.reports = reports;
    }

    @GetMapping
    @Operation(summary = "Cases with their status as recorded at asOf (now without it), paged, with totals over every "
            + "matching case: count per status, documented vs acknowledged civilian deaths (min-max; duplicates left out)",
            description = "Folded from the log of both topics (the case file), never from a view. timeline=RECORDED "
                    + "(default): what was on record at asOf; timeline=OCCURRED: what had happened in the world by "
                    + "asOf, whenever it was recorded (for cases entered long after the facts). status: incident "
                    + "status as of then; stage: accountability stage as of then; operation: contains, "
                    + "case-insensitive; from/to: the incident date range overlaps [from, to]")
    public RegisterView.Page register(@Parameter(description = "ISO-8601 instant, or a date (its end, UTC)")
                                      @RequestParam(required = false) String asOf,
                                      @Parameter(description = "RECORDED (default) or OCCURRED")
                                      @RequestParam(required = false) String timeline,
                                      @RequestParam(required = false) IncidentStatus status,
                                      @RequestParam(required = false) Stage stage,
                                      @RequestParam(required = false) String operation,
                                      @RequestParam(required = false) LocalDate from,
                                      @RequestParam(required = false) LocalDate to,
                                      @RequestParam(defaultValue = "0") int page,
                                      @RequestParam(defaultValue = "50") int size) {
        Problems problems = new Problems();
        Listing.checkText(problems, "operation", operation);
        Listing.checkPage(problems, page, size);
        Listing.checkRange(problems, from, to);
        problems.throwIfAny();
        boolean byOccurrence = Formats.byOccurrence(timeline);
        return reports.register(new ReportFilter(Listing.blankToNull(operation), from, to), status, stage,
                Formats.asOf(asOf), byOccurrence, page, size);
    }
}
