package org.civharm.contract.alert;

import java.time.Instant;

/**
 * An obligation's due date passed without the awaited response: an alert was raised (once per obligation).
 *
 * @param obligationId       the obligation that became overdue ({@code <caseId>:<policy>:<startingEventId>})
 * @param awaited            what is awaited, in words, e.g. "an assessment (AllegationAcknowledged, ...)"
 * @param startedByEventId   id of the event that started the clock, e.g. the {@code AllegationFiled}
 * @param startedByEventType its type name
 * @param startedAt          when that event happened in the world (its {@code occurredAt}): the clock starts here
 * @param dueAt              the deadline that was missed
 * @param occurredAt         equal to {@code dueAt}: the moment the response became overdue
 * @param recordedAt         when the alert was raised
 */
public record AlertRaisedEvent(
        String alertId,
        String caseId,
        String policy,
        String obligationId,
        String awaited,
        String startedByEventId,
        String startedByEventType,
        Instant startedAt,
        Instant dueAt,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AlertEvent {
}
