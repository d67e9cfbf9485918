package org.civharm.contract.alert;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * An event of the alerting context (notification-service), published on
 * {@link org.civharm.contract.Topics#ALERT_EVENTS}, keyed by case id. An alert is raised once for an obligation whose
 * due date passed without the awaited response (e.g. no assessment 30 days after filing); it may then be acknowledged
 * by a caseworker, escalated when nobody acknowledged it in time, resolved when the awaited event arrives, or cancelled
 * when the case closes or the obligation becomes moot.
 * <p>
 * In the {@link org.civharm.contract.EventEnvelope}: {@code eventId} is stable for one transition of one alert (a
 * re-sent record carries the same id: deduplicate on it), {@code caseId} is the case, and {@code sequence} is the
 * position of the transition in <em>the alert's</em> history (0 = raised), not in the case's stream: a case can have
 * several alerts, each with its own sequence. {@code alertId} equals the id of the obligation the alert is about.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AlertRaisedEvent.class, name = "AlertRaised"),
        @JsonSubTypes.Type(value = AlertAcknowledgedEvent.class, name = "AlertAcknowledged"),
        @JsonSubTypes.Type(value = AlertEscalatedEvent.class, name = "AlertEscalated"),
        @JsonSubTypes.Type(value = AlertResolvedEvent.class, name = "AlertResolved"),
        @JsonSubTypes.Type(value = AlertCancelledEvent.class, name = "AlertCancelled")
})
public sealed interface AlertEvent permits AlertRaisedEvent, AlertAcknowledgedEvent, AlertEscalatedEvent,
        AlertResolvedEvent, AlertCancelledEvent {

    /** Id of the alert; the same as the id of the obligation it is about. */
    String alertId();

    String caseId();

    /** The policy whose deadline was missed, e.g. {@code assessment-due}, {@code letter-reply-due}. */
    String policy();

    /** Who made the transition: a caseworker for an acknowledgement, {@code notification-service} otherwise. */
    String actor();

    /** When the transition happened in the world (see each event). */
    Instant occurredAt();

    /** When notification-service recorded the transition. */
    Instant recordedAt();

    /** The type name used on the wire, e.g. {@code AlertRaised}. */
    static String typeName(Class<? extends AlertEvent> type) {
        String simple = type.getSimpleName();
        return simple.endsWith("Event") ? simple.substring(0, simple.length() - "Event".length()) : simple;
    }
}
