package org.civharm.contract.accountability;

import java.time.Instant;

/**
 * Offered amends were declined by the family or refused/withdrawn by the provider.
 *
 * @param declinedBy which side
 * @param by         who, in words (pseudonymous for a family)
 * @param reason     why
 */
public record AmendsDeclinedEvent(
        String caseId,
        String amendsId,
        DeclinedBy declinedBy,
        String by,
        String reason,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
