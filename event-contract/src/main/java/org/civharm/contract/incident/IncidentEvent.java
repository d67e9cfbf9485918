package org.civharm.contract.incident;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * An event of the intake and assessment context (incident-service), published on
 * {@link org.civharm.contract.Topics#INCIDENT_EVENTS}. Every event says who recorded it, when the fact happened in
 * the world ({@code occurredAt}) and when civharm recorded it ({@code recordedAt}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AllegationFiledEvent.class, name = "AllegationFiled"),
        @JsonSubTypes.Type(value = EvidenceAttachedEvent.class, name = "EvidenceAttached"),
        @JsonSubTypes.Type(value = CasualtyFiguresRevisedEvent.class, name = "CasualtyFiguresRevised"),
        @JsonSubTypes.Type(value = AllegationAcknowledgedEvent.class, name = "AllegationAcknowledged"),
        @JsonSubTypes.Type(value = AllegationDismissedEvent.class, name = "AllegationDismissed"),
        @JsonSubTypes.Type(value = AllegationMarkedDuplicateEvent.class, name = "AllegationMarkedDuplicate"),
        @JsonSubTypes.Type(value = AllegationReopenedEvent.class, name = "AllegationReopened"),
        @JsonSubTypes.Type(value = VictimIdentifiedEvent.class, name = "VictimIdentified"),
        @JsonSubTypes.Type(value = WitnessStatementRecordedEvent.class, name = "WitnessStatementRecorded")
})
public sealed interface IncidentEvent permits AllegationFiledEvent, EvidenceAttachedEvent, CasualtyFiguresRevisedEvent,
        AllegationAcknowledgedEvent, AllegationDismissedEvent, AllegationMarkedDuplicateEvent, AllegationReopenedEvent,
        VictimIdentifiedEvent, WitnessStatementRecordedEvent {

    String caseId();

    /** Who recorded the step (the authenticated user of the producing service). */
    String actor();

    /** When the step happened in the world, e.g. the date of the belligerent's statement. */
    Instant occurredAt();

    /** When civharm recorded the step. */
    Instant recordedAt();

    /** The type name used on the wire, e.g. {@code AllegationFiled}. */
    static String typeName(Class<? extends IncidentEvent> type) {
        return typeName(type.getSimpleName());
    }

    /**
     * The type name of an event stored under the class name {@code className}, also for a class this version does
     * not have (a type a newer version added).
     */
    static String typeName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return simple.endsWith("Event") ? simple.substring(0, simple.length() - "Event".length()) : simple;
    }
}
