package org.civharm.contract.accountability;

import java.time.Instant;

/**
 * An apology was issued.
 *
 * @param issuedBy                 the member state or command that apologised
 * @param recipientFamilyReference pseudonymous reference of the family; null for a public apology to all
 * @param text                     the apology's words, or a summary
 * @param visibility               public or private
 */
public record ApologyIssuedEvent(
        String caseId,
        String issuedBy,
        String recipientFamilyReference,
        String text,
        Visibility visibility,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
