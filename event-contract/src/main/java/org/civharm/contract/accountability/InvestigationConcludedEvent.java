package org.civharm.contract.accountability;

import java.time.Instant;

/**
 * An investigation was concluded with findings.
 *
 * @param ihlViolation          whether a violation of IHL was found
 * @param summary               the findings in words
 * @param published             whether the findings were made public
 * @param publicationReference  where they were published; null when not published
 */
public record InvestigationConcludedEvent(
        String caseId,
        String investigationId,
        IhlViolationFinding ihlViolation,
        String summary,
        boolean published,
        String publicationReference,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
