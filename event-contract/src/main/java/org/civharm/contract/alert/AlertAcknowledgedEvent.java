package org.civharm.contract.alert;

import java.time.Instant;

/**
 * A caseworker acknowledged the alert: someone owns the follow-up. An acknowledged alert is not escalated; it stays
 * until the awaited response arrives (resolved) or the case closes (cancelled).
 *
 * @param comment what the caseworker said, e.g. "reminder sent to the Coalition's CIVCAS cell"
 * @param actor   the caseworker
 */
public record AlertAcknowledgedEvent(
        String alertId,
        String caseId,
        String policy,
        String comment,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AlertEvent {
}
