package org.civharm.notification.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.civharm.contract.Topics;
import org.civharm.notification.service.ObligationService;
import org.civharm.notification.service.TimeSource;
import org.civharm.notification.service.WriteLock;
import org.civharm.notification.store.ParkedRecordStore;
import org.civharm.notification.store.ParkedRecordStore.Status;
import org.civharm.notification.store.ViewPointers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Consumes both services' topics (group {@code notification-service}) and turns each record into obligation changes.
 * It takes a poll's records at once. Offsets are committed once the records of a poll have been handled, i.e. after
 * their Mongo writes (ack mode BATCH, no auto-commit). A failure (Mongo unreachable, say) is reported for the record
 * it happened on ({@link BatchListenerFailedException}): the container's error handler commits the records ahead of
 * it and retries from it with back-off, for as long as it takes — a record is never skipped.
 * <p>
 * Sequenced dead letters ({@link DeadLetters}): a record that cannot be read is parked and holds its case (the
 * record key); every later record of that case is set aside behind it, unread, until a retry releases the case.
 * Other cases flow on. A record already set aside (a redelivery) is left as it is.
 */
@Component
public class CaseEventListener {

    public static final String LISTENER_ID = "case-events";
    private static final Logger log = LoggerFactory.getLogger(CaseEventListener.class);

    private final RecordReader reader;
    private final ObligationService obligations;
    private final ParkedRecordStore parked;
    private final DeadLetters deadLetters;
    private final TimeSource time;
    private final WriteLock lock;
    private final ViewPointers pointers;

    public CaseEventListener(RecordReader reader, ObligationService obligations, ParkedRecordStore parked,
                             DeadLetters deadLetters, TimeSource time, WriteLock lock, ViewPointers pointers) {
        this.reader = reader;
        this.obligations = obligations;
        this.parked = parked;
        this.deadLetters = deadLetters;
        this.time = time;
        this.lock = lock;
        this.pointers = pointers;
    }

    @KafkaListener(id = LISTENER_ID, groupId = "${civharm.kafka.group-id:notification-service}", batch = "true",
            topics = {Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS},
            concurrency = "${civharm.kafka.listener-concurrency:1}")
    public void on(List<ConsumerRecord<String, String>> records) {
        Set<String> cases = new HashSet<>();
        records.forEach(r -> {
            if (r.key() != null) {
                cases.add(r.key());
            }
        });
        pointers.openPollScope();
        try {
            // the dead letters of all the poll's cases by one query (they were one query per record, 1.3 requests per
            // command in the benchmark); only this listener sets records of its partitions aside, and a retry that
            // releases a case meanwhile is caught by releaseIfNothingAhead after a hold
            Map<String, List<ParkedRecordStore.ParkedRecord>> letters = parked.ofCases(cases);
            for (ConsumerRecord<String, String> record : records) {
                try {
                    // under the case's write lock: a rebuild's last pass and a dead-letter retry see no record
                    // half-handled; with the views' pointers read once for the record's writes (the lock keeps this
                    // instance's switches outside it)
                    lock.runForCase(record.key(), () -> pointers.pinned(() -> handle(record, letters)));
                } catch (RuntimeException e) {
                    throw new BatchListenerFailedException("record " + idOf(record) + " failed", e, record);
                }
            }
        } finally {
            pointers.closePollScope();
        }
    }

    /** One record; {@code letters}: the poll's cases' dead letters, brought up to date when this changes them. */
    private void handle(ConsumerRecord<String, String> record, Map<String, List<ParkedRecordStore.ParkedRecord>> letters) {
        String id = idOf(record);
        String source = record.topic() + "/" + record.partition() + "@" + record.offset();
        String caseId = record.key();
        // a record set aside is stored under its key, so the case's letters answer both questions below (was this
        // record set aside already, is its case held)
        List<ParkedRecordStore.ParkedRecord> caseLetters = caseId == null ? List.of()
                : letters.getOrDefault(caseId, List.of());
        boolean setAside = caseId == null ? parked.exists(id)
                : caseLetters.stream().anyMatch(p -> p.id().equals(id));
        if (setAside) {
            log.debug("{}: already set aside", source);
            return;
        }
        Optional<ParkedRecordStore.ParkedRecord> firstOpen = caseLetters.stream()
                .filter(p -> p.status() == Status.PARKED || p.status() == Status.HELD).findFirst();
        if (firstOpen.isPresent()) {
            String ahead = firstOpen.get().id();
            park(record, Status.HELD, "held behind " + ahead + ", an earlier record of case " + caseId
                    + " that could not be read");
            log.info("{}: held behind {} (case {})", source, ahead, caseId);
            deadLetters.releaseIfNothingAhead(caseId);
            letters.put(caseId, parked.ofCase(caseId));
            return;
        }
        EnvelopeReader.Read read = reader.read(record);
        if (read instanceof EnvelopeReader.Read.Fact f) {
            obligations.ingest(f.fact(), source);
        } else if (read instanceof EnvelopeReader.Read.Ignored i) {
            log.debug("{}: {} does not concern obligations", source, i.eventType());
        } else if (read instanceof EnvelopeReader.Read.Unreadable u) {
            log.warn("{}: unreadable record parked{}: {}", source, caseId == null ? "" : ", case " + caseId + " held",
                    u.reason());
            park(record, Status.PARKED, u.reason());
            if (caseId != null) {
                letters.put(caseId, parked.ofCase(caseId));
            }
        }
    }

    private void park(ConsumerRecord<String, String> record, Status status, String reason) {
        long position = record.key() == null ? 0 : parked.nextPosition(record.key());
        parked.park(new ParkedRecordStore.ParkedRecord(idOf(record), record.topic(), record.partition(),
                record.offset(), record.key(), record.value(), headers(record), reason, time.now(), status,
                status == Status.HELD, position, null, null, null));
    }

    static String idOf(ConsumerRecord<?, ?> record) {
        return record.topic() + ":" + record.partition() + ":" + record.offset();
    }

    private static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
