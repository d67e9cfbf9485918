package org.civharm.notification.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.civharm.notification.messaging.DeadLetters;
import org.civharm.notification.service.NotFoundException;
import org.civharm.notification.store.ParkedRecordStore;
import org.civharm.notification.store.ParkedRecordStore.ParkedRecord;
import org.civharm.notification.web.Requests.DiscardRequest;
import org.civharm.notification.web.Responses.PageResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Sequenced dead letters by case: what holds a case, retrying it, and discarding a poison record. */
@RestController
@RequestMapping(path = "/admin/dead-letters", produces = "application/json")
@Tag(name = "Dead letters", description = "Unreadable records and the later records of their case held behind them")
public class DeadLetterController {

    private final DeadLetters deadLetters;
    private final ParkedRecordStore store;

    public DeadLetterController(DeadLetters deadLetters, ParkedRecordStore store) {
        this.deadLetters = deadLetters;
        this.store = store;
    }

    /** One case's dead letters in order, with counts. */
    public record CaseDeadLetters(String caseId, boolean holding, long parked, long held, long applied,
                                  long discarded, List<ParkedRecord> records) {
    }

    @GetMapping
    @Operation(summary = "Cases with dead letters, by case id, with counts per status",
            description = "holding=true: only cases held right now (a parked or held record)")
    public PageResponse<ParkedRecordStore.CaseSummary> cases(@RequestParam(required = false) Boolean holding,
                                                            @RequestParam(defaultValue = "0") int page,
                                                            @RequestParam(defaultValue = "50") int size) {
        Problems problems = new Problems();
        problems.page(page, size);
        problems.throwIfAny();
        return PageResponse.of(store.cases(holding, page, size), s -> s);
    }

    @GetMapping("/{caseId}")
    @Operation(summary = "One case's dead letters in order: the parked record, those held behind it (heldBehind), "
            + "and those applied or discarded")
    public CaseDeadLetters ofCase(@PathVariable String caseId) {
        Checks.id("caseId", caseId);
        List<ParkedRecord> records = store.ofCase(caseId);
        if (records.isEmpty()) {
            throw new NotFoundException("dead letter of case", caseId);
        }
        long parked = count(records, ParkedRecordStore.Status.PARKED);
        long held = count(records, ParkedRecordStore.Status.HELD);
        return new CaseDeadLetters(caseId, parked + held > 0, parked, held,
                count(records, ParkedRecordStore.Status.APPLIED), count(records, ParkedRecordStore.Status.DISCARDED),
                records);
    }

    @PostMapping("/{caseId}/retries")
    @Operation(summary = "Retry a case: re-read its parked and held records in order and apply them",
            description = "Stops at the first that still cannot be read (it stays parked, the rest stay held). When "
                    + "all are applied the hold is released and later records flow normally. Retrying again changes "
                    + "nothing.")
    public DeadLetters.RetryResult retry(@PathVariable String caseId) {
        Checks.actor();
        Checks.id("caseId", caseId);
        if (store.ofCase(caseId).isEmpty()) {
            throw new NotFoundException("dead letter of case", caseId);
        }
        return deadLetters.retry(caseId);
    }

    @PostMapping(path = "/{caseId}/records/{recordId}/discards", consumes = "application/json")
    @Operation(summary = "Discard a case's unreadable record, with a reason",
            description = "An operator's decision, recorded with who (the token's subject), when and why. Only the "
                    + "parked record is discarded (409 for a held, applied or discarded one); then a retry releases "
                    + "the records held behind it.")
    public ParkedRecord discard(@PathVariable String caseId, @PathVariable String recordId,
                                @Valid @RequestBody DiscardRequest body) {
        String who = Checks.actor();
        Checks.id("caseId", caseId);
        Checks.id("recordId", recordId);
        return deadLetters.discard(caseId, recordId, who, body.reason().strip());
    }

    private static long count(List<ParkedRecord> records, ParkedRecordStore.Status status) {
        return records.stream().filter(r -> r.status() == status).count();
    }
}
