package org.civharm.accountability.views;

import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;

/**
 * One step of a case file.
 *
 * @param eventId    the event's id at its producer (the deduplication key)
 * @param producedBy the service whose event store holds it: incident-service or accountability-service
 * @param sequence   its position in the case's stream at that producer
 * @param type       what happened, e.g. {@code AllegationAcknowledged}, {@code AmendsPaid}
 * @param actor      who recorded it
 * @param occurredAt when it happened in the world
 * @param recordedAt when civharm recorded it
 * @param why        the reason the event itself gives, if it has one (reason, stated reason, basis, comment ...)
 * @param hash         the event's hash in its producer's chain for the case, as published in the envelope (null
 *                     from a producer without a chain)
 * @param previousHash the hash of the event before it in that chain, as published
 * @param event      the event as published, unchanged (served as JSON)
 */
public record TimelineEntry(
        String eventId,
        String caseId,
        String producedBy,
        long sequence,
        String type,
        String actor,
        Instant occurredAt,
        Instant recordedAt,
        String why,
        String hash,
        String previousHash,
        @JsonRawValue String event) {
}
