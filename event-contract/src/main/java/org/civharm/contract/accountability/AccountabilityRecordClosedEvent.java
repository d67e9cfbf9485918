package org.civharm.contract.accountability;

import java.time.Instant;

/** The accountability record was closed, with the reason. */
public record AccountabilityRecordClosedEvent(
        String caseId,
        String reason,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
