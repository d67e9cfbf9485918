package org.civharm.contract.accountability;

import java.time.Instant;

/**
 * An explanation was given to the family: what was targeted, why, and what precautions were taken.
 *
 * @param recipientFamilyReference pseudonymous reference of the family (never a name)
 * @param whatWasTargeted          e.g. "Daesh fighting position in adjacent building"
 * @param why                      the stated military necessity
 * @param precautionsTaken         precautions the belligerent says it took
 * @param visibility               public or private
 */
public record ExplanationProvidedEvent(
        String caseId,
        String recipientFamilyReference,
        String whatWasTargeted,
        String why,
        String precautionsTaken,
        Visibility visibility,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
