package org.civharm.notification.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One event of another service, reduced to what obligations need. Built by the Kafka consumer from an
 * {@code EventEnvelope}; the domain never sees the wire format.
 *
 * @param eventId       the event's stable id (deduplication key)
 * @param caseId        the case
 * @param producer      the service that published it ({@code producedBy})
 * @param sequence      its position in that producer's stream of the case
 * @param kind          what happened
 * @param occurredAt    when it happened in the world: due dates count from here
 * @param subjectId     the letter id (letters) or amends id (amends); null otherwise
 * @param responseDueOn the date a letter's answer is due; null for other kinds (and letters without one)
 */
public record CaseFact(
        String eventId,
        String caseId,
        String producer,
        long sequence,
        FactKind kind,
        Instant occurredAt,
        String subjectId,
        LocalDate responseDueOn) {

    public CaseFact {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
