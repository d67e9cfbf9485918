package org.civharm.contract.incident;

import java.time.Instant;
import java.util.List;

/**
 * A dismissed (or duplicate) case was reopened on new evidence; it is under assessment again.
 *
 * @param newEvidenceIds evidence attached after the last assessment that justifies the reopening (at least one)
 * @param reason         why it was reopened
 */
public record AllegationReopenedEvent(
        String caseId,
        List<String> newEvidenceIds,
        String reason,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements IncidentEvent {
}
