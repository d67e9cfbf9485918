package org.civharm.accountability.messaging;

import org.civharm.accountability.messaging.EnvelopeReader.ReadEvent;
import org.civharm.accountability.views.IncidentCaseProjection;
import org.civharm.accountability.views.TimelineEntry;
import org.civharm.accountability.views.TimelineRepository;
import org.civharm.accountability.views.ViewPointers;
import org.civharm.contract.Topics;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.springframework.stereotype.Component;

/**
 * What is done with one event read from a topic, by the live listener and by a dead-letter retry alike, in this order:
 * <ol>
 *   <li>for an incident event, the local incident copy is updated (idempotent by envelope sequence);</li>
 *   <li>the event is stored in the case file ({@code timeline}, upsert by event id);</li>
 *   <li>for an acknowledgement, the case's accountability record is opened (idempotent by case id).</li>
 * </ol>
 * Every step is idempotent, so applying a record twice (redelivery, retry after a crash) changes nothing.
 */
@Component
public class CaseEventSteps {

    private final TimelineRepository timeline;
    private final IncidentCaseProjection incidentCases;
    private final AcknowledgementOpener opener;
    private final ViewPointers pointers;

    public CaseEventSteps(TimelineRepository timeline, IncidentCaseProjection incidentCases,
                          AcknowledgementOpener opener, ViewPointers pointers) {
        this.timeline = timeline;
        this.incidentCases = incidentCases;
        this.opener = opener;
        this.pointers = pointers;
    }

    /**
     * Applies the steps with the views' pointers read once for all of them. A rebuild on this instance switches a
     * pointer only while the listener is paused and retries are kept out, so never inside this scope.
     */
    public void apply(ReadEvent read, String topic) {
        pointers.pinned(() -> applySteps(read, topic));
    }

    private void applySteps(ReadEvent read, String topic) {
        var envelope = read.envelope();
        if (read.event() instanceof IncidentEvent event) {
            incidentCases.apply(event, envelope.eventId(), envelope.sequence());
        }
        timeline.upsert(timelineEntry(read, topic));
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
