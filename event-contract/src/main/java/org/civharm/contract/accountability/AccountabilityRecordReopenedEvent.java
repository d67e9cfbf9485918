package org.civharm.contract.accountability;

import java.time.Instant;

/** A closed accountability record was reopened, with the reason. */
public record AccountabilityRecordReopenedEvent(
        String caseId,
        String reason,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
