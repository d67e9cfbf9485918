package org.civharm.contract.incident;

import java.time.Instant;

/**
 * An evidence item was attached to the case. The evidentiary copy itself is never changed (Berkeley Protocol); its
 * SHA-256 is what later checks compare against.
 *
 * @param evidenceId  id of the item within the case, e.g. "E-1"
 * @param kind        URL or uploaded file
 * @param location    the URL, or the storage reference of the uploaded file
 * @param sha256      lowercase hex SHA-256 of the captured bytes
 * @param description what the item shows
 * @param capturedAt  when the item was captured
 * @param capturedBy  who captured it
 */
public record EvidenceAttachedEvent(
        String caseId,
        String evidenceId,
        EvidenceKind kind,
        String location,
        String sha256,
        String description,
        Instant capturedAt,
        String capturedBy,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements IncidentEvent {
}
