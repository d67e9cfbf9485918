package org.civharm.contract.accountability;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Offered amends were paid (or delivered, for amends in kind).
 *
 * @param paid                     amount paid; null for amends in kind
 * @param recipientFamilyReference who received it
 * @param paidOn                   date of payment or delivery
 */
public record AmendsPaidEvent(
        String caseId,
        String amendsId,
        Money paid,
        String recipientFamilyReference,
        LocalDate paidOn,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
