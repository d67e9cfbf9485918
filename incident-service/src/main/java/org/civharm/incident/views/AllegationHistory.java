package org.civharm.incident.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.integrity.EventHashes;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A case's history read straight from its event stream (never from a view that could drift from it): the summary as
 * it stood on record at an instant, and the step-by-step replay an auditor reads to see when a dismissal became an
 * acknowledgement and who recorded it. "On record at T" means every event whose {@code recordedAt} is at or before T.
 */
@Component
public class AllegationHistory {

    private final EventStore eventStore;
    private final ObjectMapper mapper;

    public AllegationHistory(EventStore eventStore, ObjectMapper mapper) {
        this.eventStore = eventStore;
        this.mapper = mapper;
    }

    /** Which clock "as of" reads: when civharm recorded each step, or when it happened in the world. */
    public enum Timeline { RECORDED, OCCURRED }

    /** The summary as recorded at {@code asOf}; empty if the case was not on record then (or does not exist). */
    public Optional<AllegationSummary> asOf(String caseId, Instant asOf) {
        return asOf(caseId, asOf, Timeline.RECORDED);
    }

    /**
     * The summary from the events recorded (or, on the OCCURRED timeline, that happened) at or before {@code asOf},
     * folded in stream order. RECORDED answers "what was on record then"; OCCURRED answers "where did the case stand
     * then in the world", e.g. for cases entered long after the facts.
     */
    public Optional<AllegationSummary> asOf(String caseId, Instant asOf, Timeline timeline) {
        List<IncidentEvent> onRecord = new ArrayList<>();
        for (DomainEventMessage<?> m : stream(caseId)) {
            IncidentEvent e = (IncidentEvent) m.getPayload();
            Instant at = timeline == Timeline.OCCURRED ? e.occurredAt() : e.recordedAt();
            if (!at.isAfter(asOf)) {
                onRecord.add(e);
            }
        }
        if (onRecord.isEmpty() || !(onRecord.get(0) instanceof org.civharm.contract.incident.AllegationFiledEvent)) {
            return Optional.empty();
        }
        return Optional.ofNullable(AllegationSummaries.fold(onRecord));
    }

    /** After each event: the event, its chain hash, and the whole resulting state. Empty for an unknown case. */
    public List<ReplayStep> replay(String caseId) {
        List<ReplayStep> steps = new ArrayList<>();
        AllegationSummary state = null;
        for (DomainEventMessage<?> m : stream(caseId)) {
            IncidentEvent e = (IncidentEvent) m.getPayload();
            if (state == null) {
                state = AllegationSummaries.filed((org.civharm.contract.incident.AllegationFiledEvent) e, m.getSequenceNumber());
            } else {
                AllegationSummaries.apply(state, e);
                state.lastSequence = m.getSequenceNumber();
            }
            steps.add(new ReplayStep(m.getSequenceNumber(), m.getIdentifier(), IncidentEvent.typeName(e.getClass()),
                    e.actor(), e.occurredAt(), e.recordedAt(), (String) m.getMetaData().get(EventHashes.HASH),
                    mapper.valueToTree(e), mapper.valueToTree(state)));
        }
        return steps;
    }

    private List<DomainEventMessage<?>> stream(String caseId) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        eventStore.readEvents(caseId, 0).asStream().forEach(events::add); // from 0: the whole stream, never a snapshot
        return events;
    }

    /** One step of a replay: the event and the case's state right after it. */
    public record ReplayStep(long sequence, String eventId, String type, String actor, Instant occurredAt,
                             Instant recordedAt, String hash, JsonNode event, JsonNode stateAfter) {
    }
}
