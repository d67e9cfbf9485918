package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.Attribution;

import java.time.Instant;
import java.util.List;

/** Attribute responsibility to member states (supersedes an earlier attribution in the views). */
public record AttributeResponsibilityCommand(
        @TargetAggregateIdentifier String caseId,
        List<Attribution> attributions,
        String basis,
        String actor,
        Instant occurredAt) {
}
