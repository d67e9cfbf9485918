package org.civharm.accountability.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.civharm.accountability.messaging.EnvelopeReader.ReadEvent;
import org.civharm.accountability.messaging.EnvelopeReader.UnreadableRecordException;
import org.civharm.accountability.messaging.ParkedRecordRepository.DeadLetter;
import org.civharm.accountability.views.ViewPointers;
import org.civharm.contract.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads both civharm topics (group {@code spring.kafka.consumer.group-id}, {@code accountability-service} by
 * default) a poll at a time and applies the records, in order, through {@link CaseEventSteps} (incident copy, case
 * file, acknowledgement opener): a run of readable records at once, a few writes for the whole run. Every step is
 * idempotent, and offsets are committed only after the records of a poll were handled, so a record redelivered after
 * a crash, or the whole topic replayed from offset 0, changes nothing. A failure (MongoDB down) is reported for the
 * record it happened on, or for the first record of the run it happened in ({@link BatchListenerFailedException}):
 * the container's error handler commits the records ahead of it and retries from it with back-off, never skipping it.
 * <p>
 * Sequenced dead letters ({@link DeadLetters}): a record that cannot be read is parked and holds its case (the record
 * key); every later record of that case, from either topic, is set aside unread behind it ("held") until a retry
 * releases the case — other cases flow on. The hold is read from MongoDB, so it survives restarts and holds on every
 * instance: once per poll for all of its cases (one query instead of one per record), and again for a case whose
 * dead letters this poll changed. A record already set aside (a redelivery) is left as it is.
 * <p>
 * The views' pointers are read once per poll too ({@link ViewPointers#openPollScope}).
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
    private final ViewPointers pointers;

    public CaseEventListener(EnvelopeReader reader, CaseEventSteps steps, ParkedRecordRepository parked,
                             DeadLetters deadLetters, ViewPointers pointers) {
        this.reader = reader;
        this.steps = steps;
        this.parked = parked;
        this.deadLetters = deadLetters;
        this.pointers = pointers;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false, batch = "true",
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
            Map<String, List<DeadLetter>> letters = parked.ofCases(cases);
            Run run = new Run();
            for (ConsumerRecord<String, String> record : records) {
                try {
                    handle(record, letters, run);
                } catch (BatchListenerFailedException e) {
                    throw e; // the run's own failure, reported for its first record
                } catch (RuntimeException e) {
                    // reported for the first record not yet applied: the error handler commits every record ahead
                    // of the one named, and the run's records wait unwritten ahead of this one
                    ConsumerRecord<String, String> from = run.firstOr(record);
                    throw new BatchListenerFailedException("record " + ParkedRecordRepository.idOf(record)
                            + " failed" + (from == record ? "" : "; retrying from " + ParkedRecordRepository.idOf(from)),
                            e, from);
                }
            }
            run.apply();
        } finally {
            pointers.closePollScope();
        }
    }

    /**
     * The readable records of a poll not yet applied, in order, applied together ({@link CaseEventSteps#applyAll})
     * before anything else is done with a record and at the end of the poll. A failure is reported for the run's
     * first record, so the container commits what is ahead of the run and retries from it: the run's steps are
     * idempotent.
     */
    private final class Run {
        private final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        private final List<CaseEventSteps.Step> steps = new ArrayList<>();

        void add(ConsumerRecord<String, String> record, ReadEvent read) {
            records.add(record);
            steps.add(new CaseEventSteps.Step(read, record.topic()));
        }

        /** The run's first record, or {@code next} when the run is empty. */
        ConsumerRecord<String, String> firstOr(ConsumerRecord<String, String> next) {
            return records.isEmpty() ? next : records.get(0);
        }

        void apply() {
            if (steps.isEmpty()) {
                return;
            }
            try {
                CaseEventListener.this.steps.applyAll(steps);
            } catch (RuntimeException e) {
                ConsumerRecord<String, String> first = records.get(0);
                throw new BatchListenerFailedException("records from " + ParkedRecordRepository.idOf(first)
                        + " (" + records.size() + ") failed", e, first);
            }
            records.clear();
            steps.clear();
        }
    }

    /**
     * One record: added to the run, or (after the run is applied) set aside, held or parked. {@code letters}: the
     * poll's cases' dead letters, brought up to date when this changes them.
     */
    private void handle(ConsumerRecord<String, String> record, Map<String, List<DeadLetter>> letters, Run run) {
        String id = ParkedRecordRepository.idOf(record);
        String caseId = record.key();
        List<DeadLetter> caseLetters = caseId == null ? List.of() : letters.getOrDefault(caseId, List.of());
        // a record set aside is stored under its key, so the case's letters answer both questions
        boolean setAside = caseId == null ? parked.contains(id) : caseLetters.stream().anyMatch(d -> d.id().equals(id));
        if (setAside) {
            log.debug("{}: already set aside", id);
            if (caseId != null) {
                run.apply();
                // redelivered because the release below failed (MongoDB went away mid-retry): try it again
                deadLetters.releaseIfNothingAhead(caseId);
                letters.put(caseId, parked.ofCase(caseId));
            }
            return;
        }
        if (caseId != null) {
            Optional<DeadLetter> ahead = caseLetters.stream().filter(d -> d.status().open()).findFirst();
            if (ahead.isPresent()) {
                run.apply();
                parked.hold(record, ahead.get().id());
                // a retry may have released the case just before this record was held: then nothing unreadable is
                // ahead of it and it is released here, not left behind nothing
                deadLetters.releaseIfNothingAhead(caseId);
                letters.put(caseId, parked.ofCase(caseId));
                return;
            }
        }
        ReadEvent read;
        try {
            read = reader.read(record);
        } catch (UnreadableRecordException e) {
            run.apply();
            parked.park(record, e.getMessage());
            if (caseId != null) {
                letters.put(caseId, parked.ofCase(caseId));
            }
            return;
        }
        run.add(record, read);
    }
}
