package org.civharm.incident.api;

import org.civharm.contract.incident.CasualtyFigures;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Revise the reported civilian casualties; the old figures stay in the history. */
public record ReviseCasualtyFiguresCommand(
        @TargetAggregateIdentifier String caseId,
        CasualtyFigures revised,
        String reason,
        String actor,
        Instant occurredAt) {
}
