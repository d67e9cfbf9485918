package org.civharm.accountability.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.civharm.accountability.messaging.EnvelopeReader.ReadEvent;
import org.civharm.accountability.messaging.EnvelopeReader.UnreadableRecordException;
import org.civharm.accountability.views.IncidentCaseProjection;
import org.civharm.accountability.views.TimelineEntry;
import org.civharm.accountability.views.TimelineRepository;
import org.civharm.contract.Topics;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads both civharm topics (group {@code spring.kafka.consumer.group-id}, {@code accountability-service} by
 * default) and, for each record, in this order:
 * <ol>
 *   <li>for an incident event, updates the local incident copy (idempotent by envelope sequence);</li>
 *   <li>stores the event in the case file ({@code timeline}, upsert by event id);</li>
 *   <li>for an acknowledgement, opens the case's accountability record (idempotent by case id).</li>
 * </ol>
 * Every step is idempotent, and the offset is committed only after the record was handled (ack mode RECORD), so a
 * record redelivered after a crash, or the whole topic replayed from offset 0, changes nothing. A failure (MongoDB
 * down) propagates to the container's error handler, which retries the record with back-off and never skips it. A
 * record that cannot be read is parked in {@code parked_records} and the listener moves on.
 */
@Component
public class CaseEventListener {

    /** Listener container id (for the registry); the consumer group comes from configuration. */
    public static final String LISTENER_ID = "civharm-case-events";

    private final EnvelopeReader reader;
    private final TimelineRepository timeline;
    private final IncidentCaseProjection incidentCases;
    private final AcknowledgementOpener opener;
    private final ParkedRecordRepository parked;

    public CaseEventListener(EnvelopeReader reader, TimelineRepository timeline, IncidentCaseProjection incidentCases,
                             AcknowledgementOpener opener, ParkedRecordRepository parked) {
        this.reader = reader;
        this.timeline = timeline;
        this.incidentCases = incidentCases;
        this.opener = opener;
        this.parked = parked;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false,
            topics = {Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS},
            concurrency = "${civharm.kafka.listener-concurrency:1}")
    public void on(ConsumerRecord<String, String> record) {
        ReadEvent read;
        try {
            read = reader.read(record.topic(), record.key(), record.value());
        } catch (UnreadableRecordException e) {
            parked.park(record, e.getMessage());
            return;
        }
        var envelope = read.envelope();
        if (read.event() instanceof IncidentEvent event) {
            incidentCases.apply(event, envelope.eventId(), envelope.sequence());
        }
        timeline.upsert(timelineEntry(read, record.topic()));
        if (read.event() instanceof AllegationAcknowledgedEvent ack) {
            opener.open(ack, envelope.eventId());
        }
    }

    /** The case-file entry of an event read from {@code topic} (shared with the rebuild from the topics). */
    static TimelineEntry timelineEntry(ReadEvent read, String topic) {
        var envelope = read.envelope();
        return new TimelineEntry(envelope.eventId(), envelope.caseId(),
                envelope.producedBy() != null ? envelope.producedBy() : producerOf(topic),
                envelope.sequence(), read.type(), read.actor(), read.occurredAt(), read.recordedAt(), read.why(),
                envelope.hash(), envelope.previousHash(), read.eventJson());
    }

    private static String producerOf(String topic) {
        return Topics.INCIDENT_EVENTS.equals(topic) ? "incident-service" : "accountability-service";
    }
}
