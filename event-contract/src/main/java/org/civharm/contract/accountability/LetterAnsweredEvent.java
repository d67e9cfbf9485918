package org.civharm.contract.accountability;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A letter or request for information was answered.
 *
 * @param answeredOn date of the answer
 * @param summary    what the answer said
 */
public record LetterAnsweredEvent(
        String caseId,
        String letterId,
        LocalDate answeredOn,
        String summary,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
