package org.civharm.contract.incident;

import java.time.Instant;

/**
 * The belligerent assessed the allegation as not credible.
 *
 * @param assessedBy   the belligerent that made the assessment
 * @param statedReason the reason it gave, e.g. "insufficient information to assess"
 * @param statement    where it said so; may be null
 */
public record AllegationDismissedEvent(
        String caseId,
        String assessedBy,
        String statedReason,
        Statement statement,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements IncidentEvent {
}
