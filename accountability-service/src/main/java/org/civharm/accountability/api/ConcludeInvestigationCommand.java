package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.IhlViolationFinding;

import java.time.Instant;

/** Conclude an open investigation with its findings. */
public record ConcludeInvestigationCommand(
        @TargetAggregateIdentifier String caseId,
        String investigationId,
        IhlViolationFinding ihlViolation,
        String summary,
        boolean published,
        String publicationReference,
        String actor,
        Instant occurredAt) {
}
