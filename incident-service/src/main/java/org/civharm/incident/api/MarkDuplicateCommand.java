package org.civharm.incident.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Record that the allegation describes the same incident as another case. */
public record MarkDuplicateCommand(
        @TargetAggregateIdentifier String caseId,
        String duplicateOfCaseId,
        String assessedBy,
        String reason,
        String actor,
        Instant occurredAt) {
}
