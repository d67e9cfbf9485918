package org.civharm.notification.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.civharm.notification.domain.RefusedTransitionException;
import org.civharm.notification.service.NotFoundException;
import org.civharm.notification.service.ObligationService;
import org.civharm.notification.service.TimeSource;
import org.civharm.notification.service.WriteLock;
import org.civharm.notification.store.ParkedRecordStore;
import org.civharm.notification.store.ParkedRecordStore.ParkedRecord;
import org.civharm.notification.store.ParkedRecordStore.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sequenced dead letters: a record that cannot be read holds its case; every later record of the case (same record
 * key, either topic) is set aside behind it unread, while other cases flow on. The hold is released by a retry once
 * nothing unreadable is left ahead: the records are read again in order through the current reader and applied;
 * the first that still cannot be read stops the retry (it stays parked, those behind it stay held). An operator may
 * discard a poison record instead (recorded with who, when and why), after which a retry releases the rest.
 * <p>
 * Correct with several instances without transactions: setting a record aside and the hold check read Mongo, not
 * memory; applying is idempotent (facts by event id) and each status change is conditional on the status read. A
 * record held on one instance just as a retry on another releases the case could be left behind nothing: so after
 * holding a record the listener looks again, and if nothing unreadable is ahead of the case's first open record, it
 * runs the retry itself.
 */
@Service
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ParkedRecordStore store;
    private final RecordReader reader;
    private final ObligationService obligations;
    private final TimeSource time;
    private final WriteLock lock;

    public DeadLetters(ParkedRecordStore store, RecordReader reader, ObligationService obligations, TimeSource time,
                       WriteLock lock) {
        this.store = store;
        this.reader = reader;
        this.obligations = obligations;
        this.time = time;
        this.lock = lock;
    }

    /**
     * What a retry did.
     *
     * @param applied     records read and applied (or found irrelevant) by this retry
     * @param stoppedAt   the record that still cannot be read, if any (it stays parked)
     * @param stillHeld   records left held behind it
     * @param released    whether the case is no longer held
     */
    public record RetryResult(String caseId, int applied, ParkedRecord stoppedAt, int stillHeld, boolean released) {
    }

    /** Re-reads the case's open dead letters in order and applies them, stopping at the first that still fails. */
    public RetryResult retry(String caseId) {
        return lock.forCase(caseId, () -> {
            int applied = 0;
            while (true) {
                List<ParkedRecord> open = store.open(caseId);
                if (open.isEmpty()) {
                    if (applied > 0) {
                        log.info("case {}: {} dead letters applied, hold released", caseId, applied);
                    }
                    return new RetryResult(caseId, applied, null, 0, true);
                }
                for (int i = 0; i < open.size(); i++) {
                    ParkedRecord r = open.get(i);
                    EnvelopeReader.Read read = reader.read(toRecord(r));
                    if (read instanceof EnvelopeReader.Read.Unreadable u) {
                        if (r.status() == Status.HELD) {
                            store.markParked(r.id(), Status.HELD, u.reason());
                        }
                        ParkedRecord stopped = store.find(r.id()).orElse(r);
                        return new RetryResult(caseId, applied, stopped, open.size() - i - 1, false);
                    }
                    if (read instanceof EnvelopeReader.Read.Fact f) {
                        obligations.ingest(f.fact(), source(r));
                    }
                    if (store.markApplied(r.id(), r.status(), time.now())) {
                        applied++;
                    }
                }
                // and again: records may have been held meanwhile (by another instance)
            }
        });
    }

    /** Discards one poison record of the case: an operator's decision, kept with who, when and why. */
    public ParkedRecord discard(String caseId, String recordId, String actor, String reason) {
        return lock.forCase(caseId, () -> {
            ParkedRecord r = store.find(recordId).filter(x -> caseId.equals(x.key()))
                    .orElseThrow(() -> new NotFoundException("dead letter of case " + caseId, recordId));
            if (r.status() != Status.PARKED) {
                throw new RefusedTransitionException("dead letter " + recordId + " is " + r.status()
                        + (r.status() == Status.HELD ? ": only the unreadable record a case is held behind is "
                        + "discarded; held records are applied by a retry"
                        : r.status() == Status.DISCARDED ? " (by " + r.closedBy() + " at " + r.closedAt() + ")" : "")
                        + "");
            }
            if (!store.discard(recordId, actor, time.now(), reason)) {
                throw new RefusedTransitionException("dead letter " + recordId + " changed meanwhile; read it again");
            }
            log.info("dead letter {} of case {} discarded by {}: {}", recordId, caseId, actor, reason);
            return store.find(recordId).orElseThrow();
        });
    }

    /** After holding a record: if nothing unreadable is ahead of the case's first open record, release the case. */
    void releaseIfNothingAhead(String caseId) {
        Optional<ParkedRecord> head = store.open(caseId).stream().findFirst();
        if (head.isPresent() && head.get().status() == Status.HELD) {
            retry(caseId);
        }
    }

    public Map<String, Status> statuses() {
        return store.statuses();
    }

    static String source(ParkedRecord r) {
        return r.topic() + "/" + r.partition() + "@" + r.offset();
    }

    /** The record as it was consumed, to be read again. */
    static ConsumerRecord<String, String> toRecord(ParkedRecord r) {
        RecordHeaders headers = new RecordHeaders();
        r.headers().forEach((k, v) -> headers.add(k, v == null ? null : v.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, r.key(), r.value(),
                headers, Optional.empty());
    }
}
