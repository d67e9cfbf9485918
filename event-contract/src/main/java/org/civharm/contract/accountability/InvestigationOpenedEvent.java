package org.civharm.contract.accountability;

import java.time.Instant;
import java.util.List;

/**
 * An investigation into the case was opened.
 *
 * @param investigationId id within the case, e.g. "INV-1"
 * @param conductedBy     kind of body
 * @param bodyName        e.g. "CJTF-OIR Civilian Casualty Assessment Cell"
 * @param scope           what it covers
 */
public record InvestigationOpenedEvent(
        String caseId,
        String investigationId,
        InvestigatingBody conductedBy,
        String bodyName,
        List<InvestigationScope> scope,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
