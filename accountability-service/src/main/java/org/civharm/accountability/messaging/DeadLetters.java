package org.civharm.accountability.messaging;

import org.civharm.accountability.messaging.EnvelopeReader.ReadEvent;
import org.civharm.accountability.messaging.EnvelopeReader.UnreadableRecordException;
import org.civharm.accountability.messaging.ParkedRecordRepository.CaseSummary;
import org.civharm.accountability.messaging.ParkedRecordRepository.DeadLetter;
import org.civharm.accountability.messaging.ParkedRecordRepository.Status;
import org.civharm.contract.EventHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sequenced dead letters: a record that cannot be read holds its case; every later record of the case (same record
 * key, either topic) is set aside behind it unread, while other cases flow on (see {@link CaseEventListener}).
 * <ul>
 *   <li>A <b>retry</b> re-reads the case's open dead letters in order through the current {@link EnvelopeReader} and
 *       applies each through the listener's own {@link CaseEventSteps} (incident copy, case file, acknowledgement
 *       opener — all idempotent). It stops at the first that still cannot be read: that one stays parked (with the
 *       reason now), those behind it stay held. When none is left the hold is released. Retrying again changes
 *       nothing.</li>
 *   <li>A <b>discard</b> is an operator's decision not to apply a poison record, kept with who, when and why; a
 *       retry then applies the records held behind it.</li>
 * </ul>
 * Several instances, no transactions: the hold and every status live in MongoDB; applying is idempotent and each
 * status change is conditional on the status read, so two retries of one case at once apply records twice at worst
 * (harmless) and count them once. A record held by the listener just as a retry released the case would be left
 * behind nothing: the listener therefore looks again after holding one ({@link #releaseIfNothingAhead}).
 * <p>
 * Retries and the Kafka-fed view rebuilds ({@link KafkaViewRebuild}) exclude each other on an instance ({@link #GATE}):
 * a rebuild decides per record whether it is held, and a release during the rebuild would apply records into the
 * collection being replaced after the rebuild had skipped them. Cases left releasable meanwhile are released when the
 * rebuild ends ({@link #releaseStranded}).
 */
@Service
public class DeadLetters {

    /** Who closes a dead letter a retry applied. */
    public static final String ACTOR = "accountability-service";
    /** Serialises retries on this instance and keeps them apart from Kafka-fed rebuilds. */
    static final ReentrantLock GATE = new ReentrantLock();
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ParkedRecordRepository store;
    private final EnvelopeReader reader;
    private final CaseEventSteps steps;
    private final Clock clock;

    public DeadLetters(ParkedRecordRepository store, EnvelopeReader reader, CaseEventSteps steps, Clock clock) {
        this.store = store;
        this.reader = reader;
        this.steps = steps;
        this.clock = clock;
    }

    /**
     * What a retry did.
     *
     * @param applied   records read and applied by this retry
     * @param stoppedAt the record that still cannot be read, if any (it stays parked)
     * @param stillHeld records left held behind it
     * @param released  whether the case is no longer held
     */
    public record RetryResult(String caseId, int applied, DeadLetter stoppedAt, int stillHeld, boolean released) {
    }

    /** One case's dead letters in order, counted. */
    public record CaseDeadLetters(String caseId, boolean holding, long parked, long held, long applied,
                                  long discarded, List<DeadLetter> records) {
    }

    public List<CaseSummary> cases(Boolean holding) {
        return store.cases(holding);
    }

    /** @throws NotFoundException if the case has no dead letter */
    public CaseDeadLetters ofCase(String caseId) {
        List<DeadLetter> records = store.ofCase(caseId);
        if (records.isEmpty()) {
            throw new NotFoundException("case " + caseId + " has no dead letters");
        }
        long parked = count(records, Status.PARKED);
        long held = count(records, Status.HELD);
        return new CaseDeadLetters(caseId, parked + held > 0, parked, held, count(records, Status.APPLIED),
                count(records, Status.DISCARDED), records);
    }

    /**
     * Re-reads the case's open dead letters in order and applies them, stopping at the first that still fails.
     *
     * @throws NotFoundException if the case has no dead letter
     * @throws RefusedException  while a Kafka-fed view rebuild runs on this instance
     */
    public RetryResult retry(String caseId) {
        GATE.lock();
        try {
            String rebuild = KafkaViewRebuild.runningRebuildName();
            if (rebuild != null) {
                throw new RefusedException("a rebuild of the " + rebuild + " view is running; retry the case when it "
                        + "has finished (cases left releasable are released when it ends)");
            }
            if (store.ofCase(caseId).isEmpty()) {
                throw new NotFoundException("case " + caseId + " has no dead letters");
            }
            int applied = 0;
            while (true) {
                List<DeadLetter> open = store.open(caseId);
                if (open.isEmpty()) {
                    if (applied > 0) {
                        log.info("case {}: {} dead letters applied, hold released", caseId, applied);
                    }
                    return new RetryResult(caseId, applied, null, 0, true);
                }
                for (int i = 0; i < open.size(); i++) {
                    DeadLetter r = open.get(i);
                    ReadEvent read;
                    try {
                        read = read(r);
                    } catch (UnreadableRecordException e) {
                        store.markUnreadable(r.id(), r.status(), e.getMessage(), clock.instant());
                        log.info("case {}: retry stopped at {}: {}", caseId, r.id(), e.getMessage());
                        return new RetryResult(caseId, applied, store.find(r.id()).orElse(r), open.size() - i - 1,
                                false);
                    }
                    steps.apply(read, r.topic());
                    if (store.markApplied(r.id(), r.status(), clock.instant())) {
                        applied++;
                    }
                }
                // and again: records may have been held meanwhile (by the listener, here or on another instance)
            }
        } finally {
            GATE.unlock();
        }
    }

    /**
     * Discards one poison record of the case: an operator's decision, kept with who, when and why.
     *
     * @throws NotFoundException if the case has no such dead letter
     * @throws RefusedException  if the record is not the parked (unreadable) kind: held records are applied by a
     *                           retry, applied and discarded ones are closed
     */
    public DeadLetter discard(String caseId, String recordId, String actor, String reason) {
        DeadLetter r = store.find(recordId).filter(x -> caseId.equals(x.key()))
                .orElseThrow(() -> new NotFoundException("case " + caseId + " has no dead letter " + recordId));
        if (r.status() != Status.PARKED) {
            throw new RefusedException("dead letter " + recordId + " is " + r.status() + switch (r.status()) {
                case HELD -> ": it is held behind " + r.heldBehind() + ", not unreadable itself; only a parked "
                        + "record is discarded, held ones are applied by a retry";
                case DISCARDED -> " already (by " + r.closedBy() + " at " + r.closedAt() + ")";
                default -> " already (by a retry at " + r.closedAt() + ")";
            });
        }
        if (!store.discard(recordId, actor, clock.instant(), reason)) {
            throw new RefusedException("dead letter " + recordId + " changed meanwhile; read it again");
        }
        log.info("dead letter {} of case {} discarded by {}: {}", recordId, caseId, actor, reason);
        return store.find(recordId).orElseThrow();
    }

    /** After the listener held a record: if nothing unreadable is ahead of the case's first open record, release it. */
    void releaseIfNothingAhead(String caseId) {
        Optional<DeadLetter> head = store.firstOpen(caseId);
        if (head.isPresent() && head.get().status() == Status.HELD) {
            try {
                retry(caseId);
            } catch (RefusedException e) {
                log.info("case {} left held until the running rebuild ends: {}", caseId, e.getMessage());
            }
        }
    }

    /** Releases every held case with nothing unreadable ahead (after a rebuild, which keeps retries out). */
    void releaseStranded() {
        for (CaseSummary c : store.cases(true)) {
            releaseIfNothingAhead(c.caseId());
        }
    }

    /** Each dead letter's status by id. */
    java.util.Map<String, Status> statuses() {
        return store.statuses();
    }

    private ReadEvent read(DeadLetter r) {
        if (r.valueTruncated()) {
            throw new UnreadableRecordException("only the first " + ParkedRecordRepository.MAX_VALUE_CHARS
                    + " characters of the record were kept; it cannot be read again from its parked copy");
        }
        return reader.read(r.topic(), r.key(), r.value(), r.headers().get(EventHeaders.CONTRACT_VERSION),
                r.headers().get(EventHeaders.EVENT_TYPE));
    }

    private static long count(List<DeadLetter> records, Status status) {
        return records.stream().filter(r -> r.status() == status).count();
    }

    /** No such dead letter (served as 404). */
    public static class NotFoundException extends RuntimeException {
        public NotFoundException(String message) {
            super(message);
        }
    }

    /** The dead letter's state refuses the step (served as 409 with the reason). */
    public static class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }
}
