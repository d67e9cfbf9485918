package org.civharm.contract.alert;

import java.time.Instant;

/**
 * The alert no longer applies: the case was closed, the obligation became moot (e.g. a dismissal made a pending
 * investigation decision moot) or its policy was disabled.
 *
 * @param reason                why, in words
 * @param cancelledByEventId    id of the event that made it moot, e.g. the {@code AccountabilityRecordClosed}; null
 *                              when no event did (a policy was disabled)
 * @param cancelledByEventType  its type name; null likewise
 * @param occurredAt            when that event happened in the world, or when the policy was disabled
 */
public record AlertCancelledEvent(
        String alertId,
        String caseId,
        String policy,
        String reason,
        String cancelledByEventId,
        String cancelledByEventType,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AlertEvent {
}
