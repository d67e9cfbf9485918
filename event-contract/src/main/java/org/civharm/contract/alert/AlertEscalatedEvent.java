package org.civharm.contract.alert;

import java.time.Instant;

/**
 * Nobody acknowledged the alert within the configured delay after it was raised: it was escalated.
 *
 * @param raisedAt when the alert was raised
 * @param reason   why, in words, e.g. "not acknowledged within P7D of being raised"
 */
public record AlertEscalatedEvent(
        String alertId,
        String caseId,
        String policy,
        Instant raisedAt,
        String reason,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AlertEvent {
}
