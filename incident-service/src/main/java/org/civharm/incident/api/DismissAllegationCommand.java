package org.civharm.incident.api;

import org.civharm.contract.incident.Statement;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Record that a belligerent assessed the allegation as not credible. */
public record DismissAllegationCommand(
        @TargetAggregateIdentifier String caseId,
        String assessedBy,
        String statedReason,
        Statement statement,
        String actor,
        Instant occurredAt) {
}
