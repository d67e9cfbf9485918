package org.civharm.incident.api;

import org.civharm.contract.incident.Range;
import org.civharm.contract.incident.Statement;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Record that a belligerent assessed the allegation as credible. */
public record AcknowledgeAllegationCommand(
        @TargetAggregateIdentifier String caseId,
        String assessedBy,
        Range concededKilled,
        Range concededInjured,
        Statement statement,
        String comment,
        String actor,
        Instant occurredAt) {
}
