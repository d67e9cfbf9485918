package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.DeclinedBy;

import java.time.Instant;

/** Record that offered amends were declined by the family or refused/withdrawn by the provider. */
public record DeclineAmendsCommand(
        @TargetAggregateIdentifier String caseId,
        String amendsId,
        DeclinedBy declinedBy,
        String by,
        String reason,
        String actor,
        Instant occurredAt) {
}
