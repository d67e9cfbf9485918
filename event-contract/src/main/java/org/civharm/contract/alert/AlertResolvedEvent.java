package org.civharm.contract.alert;

import java.time.Instant;

/**
 * The awaited response arrived (late): the alert resolved by itself, whatever its state (open, acknowledged or
 * escalated).
 *
 * @param resolvedByEventId   id of the awaited event, e.g. the {@code AllegationAcknowledged}
 * @param resolvedByEventType its type name
 * @param occurredAt          when the awaited event happened in the world
 */
public record AlertResolvedEvent(
        String alertId,
        String caseId,
        String policy,
        String resolvedByEventId,
        String resolvedByEventType,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AlertEvent {
}
