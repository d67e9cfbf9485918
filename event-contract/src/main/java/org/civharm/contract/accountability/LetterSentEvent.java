package org.civharm.contract.accountability;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A letter or request for information was sent. With its due date, an unanswered letter becomes a dated fact.
 *
 * @param letterId      id within the case, e.g. "L-1"
 * @param from          sender, e.g. "Amnesty International"
 * @param to            addressee, e.g. "US Secretary of Defense"
 * @param sentOn        date sent
 * @param asked         what was asked
 * @param responseDueOn the date by which a response is due
 */
public record LetterSentEvent(
        String caseId,
        String letterId,
        LetterKind kind,
        String from,
        String to,
        LocalDate sentOn,
        String asked,
        LocalDate responseDueOn,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
