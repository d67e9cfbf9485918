package org.civharm.contract.incident;

import java.time.Instant;

/**
 * The allegation was found to describe the same incident as another case.
 *
 * @param duplicateOfCaseId the case this one duplicates
 * @param assessedBy        who made the finding: a belligerent or the tracker itself at triage
 * @param reason            why they are the same incident
 */
public record AllegationMarkedDuplicateEvent(
        String caseId,
        String duplicateOfCaseId,
        String assessedBy,
        String reason,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements IncidentEvent {
}
