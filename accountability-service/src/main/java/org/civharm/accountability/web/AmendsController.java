package org.civharm.accountability.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.accountability.api.AmendsStatus;
import org.civharm.accountability.views.AmendsLedger;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;

/** The amends ledger over HTTP. */
@RestController
@RequestMapping(path = "/amends", produces = "application/json")
@Tag(name = "Amends ledger", description = "Every amends offer, what became of it, and exact totals")
public class AmendsController {

    private final AmendsLedger ledger;

    public AmendsController(AmendsLedger ledger) {
        this.ledger = ledger;
    }

    @GetMapping
    @Operation(summary = "The amends ledger: rows (paged) and totals over every matching row",
            description = "Totals are exact decimals per currency (never summed across currencies), per operation and "
                    + "per member state (the state that made the offer). Filters: caseId; memberState (offeredBy, "
                    + "case-insensitive); operation (contains, case-insensitive); from/to (incident date range overlaps); "
                    + "currency (of the offer or the payment); status (OFFERED, PAID, DECLINED).")
    public AmendsLedger.Result ledger(@RequestParam(required = false) String caseId,
                                      @RequestParam(required = false) String memberState,
                                      @RequestParam(required = false) String operation,
                                      @RequestParam(required = false) LocalDate from,
                                      @RequestParam(required = false) LocalDate to,
                                      @RequestParam(required = false) String currency,
                                      @RequestParam(required = false) AmendsStatus status,
                                      @RequestParam(defaultValue = "0") int page,
                                      @RequestParam(defaultValue = "50") int size) {
        Problems problems = new Problems();
        if (caseId != null && !caseId.matches(Requests.CASE_ID_PATTERN)) {
            problems.add("caseId", "must be 3-64 letters, digits, '.', '_' or '-'");
        }
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            problems.add("currency", "must be an ISO 4217 code such as USD");
        }
        Listing.checkText(problems, "memberState", memberState);
        Listing.checkText(problems, "operation", operation);
        Listing.checkPage(problems, page, size);
        Listing.checkRange(problems, from, to);
        problems.throwIfAny();
        return ledger.query(new AmendsLedger.Query(caseId, Listing.blankToNull(memberState),
                Listing.blankToNull(operation), from, to, currency, status, page, size));
    }
}
