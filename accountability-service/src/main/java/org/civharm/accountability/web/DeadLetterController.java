package org.civharm.accountability.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.civharm.accountability.messaging.DeadLetters;
import org.civharm.accountability.messaging.ParkedRecordRepository.CaseSummary;
import org.civharm.accountability.messaging.ParkedRecordRepository.DeadLetter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sequenced dead letters by case (ADMIN, under {@code /admin}): what holds a case, retrying it, and discarding a
 * poison record. See {@link DeadLetters} for the semantics.
 */
@RestController
@RequestMapping(path = "/admin/dead-letters", produces = "application/json")
@Tag(name = "Dead letters", description = "Kafka records that could not be read, and the later records of their case "
        + "held behind them")
public class DeadLetterController {

    /** Parked values are shown up to this length (the whole value stays stored for retries). */
    static final int SHOWN_VALUE_CHARS = 10_000;
    private static final int MAX_KEY = 256;

    private final DeadLetters deadLetters;

    public DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Cases with dead letters, counted. */
    public record CasesPage(List<CaseSummary> items, int page, int size, long total, long holding) {
    }

    /** One dead letter as shown to operators. */
    public record DeadLetterView(String id, String topic, int partition, long offset, String caseId, String status,
                                 String reason, boolean heldBehind, String heldBehindRecord, long position,
                                 Instant parkedAt, Instant lastRetriedAt, Instant closedAt, String closedBy,
                                 String discardReason, Map<String, String> headers, String value, int valueLength,
                                 boolean valueTruncated) {
        static DeadLetterView of(DeadLetter d) {
            String value = d.value();
            boolean cut = value != null && value.length() > SHOWN_VALUE_CHARS;
            return new DeadLetterView(d.id(), d.topic(), d.partition(), d.offset(), d.key(), d.status().name(),
                    d.error(), d.heldBehind() != null, d.heldBehind(), d.position(), d.parkedAt(), d.lastRetriedAt(),
                    d.closedAt(), d.closedBy(), d.discardReason(), d.headers(),
                    cut ? value.substring(0, SHOWN_VALUE_CHARS) : value, value == null ? 0 : value.length(),
                    cut || d.valueTruncated());
        }
    }

    /** One case's dead letters in order, counted. */
    public record CaseDeadLetters(String caseId, boolean holding, long parked, long held, long applied,
                                  long discarded, List<DeadLetterView> records) {
    }

    /** What a retry did. */
    public record RetryResponse(String caseId, int applied, boolean released, DeadLetterView stoppedAt, int stillHeld) {
    }

    /** Why an operator discards a poison record. */
    public record DiscardRequest(@NotBlank @Size(max = 2000) String reason) {
    }

    @GetMapping
    @Operation(summary = "Cases with dead letters, by case id, with counts per status (PARKED: could not be read; "
            + "HELD: set aside behind it; APPLIED by a retry; DISCARDED by an operator)",
            description = "holding=true: only cases held right now (a parked or held record); false: only released ones")
    public CasesPage cases(@RequestParam(required = false) Boolean holding,
                           @RequestParam(defaultValue = "0") int page,
                           @RequestParam(defaultValue = "50") int size) {
        Problems problems = new Problems();
        Listing.checkPage(problems, page, size);
        problems.throwIfAny();
        List<CaseSummary> all = deadLetters.cases(holding);
        int from = (int) Math.min(all.size(), (long) page * size);
        return new CasesPage(all.subList(from, Math.min(all.size(), from + size)), page, size, all.size(),
                all.stream().filter(CaseSummary::holding).count());
    }

    @GetMapping("/{caseId}")
    @Operation(summary = "One case's dead letters in order: the parked record with its reason, those held behind it "
            + "(heldBehind), and those applied or discarded; 404 if the case has none")
    public CaseDeadLetters ofCase(@Parameter(description = "the case id (record key)") @PathVariable String caseId) {
        DeadLetters.CaseDeadLetters found = deadLetters.ofCase(checkKey(caseId));
        return new CaseDeadLetters(found.caseId(), found.holding(), found.parked(), found.held(), found.applied(),
                found.discarded(), found.records().stream().map(DeadLetterView::of).toList());
    }

    @PostMapping("/{caseId}/retries")
    @Operation(summary = "Retry a case: re-read its parked and held records in order with the current reader and apply "
            + "each (incident copy, case file, acknowledgement opener — all idempotent)",
            description = "Stops at the first that still cannot be read (it stays parked with the reason now, the rest "
                    + "stay held). When all are applied the hold is released and later records flow normally. "
                    + "Retrying again changes nothing. 404 if the case has no dead letters; 409 while a rebuild of a "
                    + "Kafka-fed view runs.")
    public RetryResponse retry(@PathVariable String caseId) {
        Actors.current();
        DeadLetters.RetryResult result = deadLetters.retry(checkKey(caseId));
        return new RetryResponse(result.caseId(), result.applied(), result.released(),
                result.stoppedAt() == null ? null : DeadLetterView.of(result.stoppedAt()), result.stillHeld());
    }

    @PostMapping(path = "/{caseId}/records/{recordId}/discards", consumes = "application/json")
    @Operation(summary = "Discard a case's unreadable (parked) record, with a reason",
            description = "An operator's decision, recorded with who (the token's subject), when and why. Only a parked "
                    + "record is discarded (409 for a held, applied or discarded one); a retry then applies the "
                    + "records held behind it. 404 if the case has no such record.")
    public DeadLetterView discard(@PathVariable String caseId,
                                  @Parameter(description = "the dead letter's id: topic-partition-offset")
                                  @PathVariable String recordId,
                                  @Valid @RequestBody DiscardRequest body) {
        String who = Actors.current();
        checkKey(caseId);
        if (recordId.length() > 300 || !recordId.matches("[A-Za-z0-9._]+-\\d{1,10}-\\d{1,19}")) {
            throw InvalidRequestException.of("recordId", "must be a dead letter id: topic-partition-offset");
        }
        return DeadLetterView.of(deadLetters.discard(caseId, recordId, who, body.reason().strip()));
    }

    /** Record keys are whatever producers sent; only their size and control characters are refused here. */
    private static String checkKey(String caseId) {
        if (caseId == null || caseId.isBlank() || caseId.length() > MAX_KEY
                || caseId.codePoints().anyMatch(c -> Character.isISOControl(c) || (c >= 0xD800 && c <= 0xDFFF))) {
            throw InvalidRequestException.of("caseId", "must be 1-" + MAX_KEY + " characters without control characters");
        }
        return caseId;
    }
}
