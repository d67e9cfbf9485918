package org.civharm.incident.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/** Reopen a dismissed or duplicate case on evidence attached after that assessment. */
public record ReopenAllegationCommand(
        @TargetAggregateIdentifier String caseId,
        List<String> newEvidenceIds,
        String reason,
        String actor,
        Instant occurredAt) {
}
