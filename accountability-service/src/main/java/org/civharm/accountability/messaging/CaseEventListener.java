package org.civharm.accountability.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.civharm.accountability.messaging.EnvelopeReader.ReadEvent;
import org.civharm.accountability.messaging.EnvelopeReader.UnreadableRecordException;
import org.civharm.accountability.messaging.ParkedRecordRepository.DeadLetter;
import org.civharm.contract.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Reads both civharm topics (group {@code spring.kafka.consumer.group-id}, {@code accountability-service} by
 * default) and applies each record through {@link CaseEventSteps} (incident copy, case file, acknowledgement
 * opener). Every step is idempotent, and offsets are committed only after the records of a poll were handled (ack
 * mode BATCH), so a record redelivered after a crash, or the whole topic replayed from offset 0, changes nothing. A
 * failure (MongoDB down) propagates to the container's error handler, which retries the record with back-off and
 * never skips it.
 * <p>
 * Sequenced dead letters ({@link DeadLetters}): a record that cannot be read is parked and holds its case (the record
 * key); every later record of that case, from either topic, is set aside unread behind it ("held") until a retry
 * releases the case — other cases flow on. The hold is read from MongoDB for every record, so it survives restarts
 * and holds on every instance. A record already set aside (a redelivery) is left as it is.
 */
@Component
public class CaseEventListener {

    /** Listener container id (for the registry); the consumer group comes from configuration. */
    public static final String LISTENER_ID = "civharm-case-events";
    private static final Logger log = LoggerFactory.getLogger(CaseEventListener.class);

    private final EnvelopeReader reader;
    private final CaseEventSteps steps;
    private final ParkedRecordRepository parked;
    private final DeadLetters deadLetters;

    public CaseEventListener(EnvelopeReader reader, CaseEventSteps steps, ParkedRecordRepository parked,
                             DeadLetters deadLetters) {
        this.reader = reader;
        this.steps = steps;
        this.parked = parked;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false,
            topics = {Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS},
            concurrency = "${civharm.kafka.listener-concurrency:1}")
    public void on(ConsumerRecord<String, String> record) {
        String id = ParkedRecordRepository.idOf(record);
        String caseId = record.key();
        // For a keyed record one query answers both questions below (was this record set aside already, is its case
        // held): a record set aside is stored under its key. This check ran as two round trips per record and was
        // ~40 % of the listener's busy time in thread dumps.
        List<DeadLetter> caseLetters = caseId == null ? List.of() : parked.ofCase(caseId);
        boolean setAside = caseId == null ? parked.contains(id) : caseLetters.stream().anyMatch(d -> d.id().equals(id));
        if (setAside) {
            log.debug("{}: already set aside", id);
            if (caseId != null) {
                // redelivered because the release below failed (MongoDB went away mid-retry): try it again
                deadLetters.releaseIfNothingAhead(caseId);
            }
            return;
        }
        if (caseId != null) {
            Optional<DeadLetter> ahead = caseLetters.stream().filter(d -> d.status().open()).findFirst();
            if (ahead.isPresent()) {
                parked.hold(record, ahead.get().id());
                // a retry may have released the case just before this record was held: then nothing unreadable is
                // ahead of it and it is released here, not left behind nothing
                deadLetters.releaseIfNothingAhead(caseId);
                return;
            }
        }
        ReadEvent read;
        try {
            read = reader.read(record);
        } catch (UnreadableRecordException e) {
            parked.park(record, e.getMessage());
            return;
        }
        steps.apply(read, record.topic());
    }
}
