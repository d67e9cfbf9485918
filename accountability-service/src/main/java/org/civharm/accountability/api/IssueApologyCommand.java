package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.Visibility;

import java.time.Instant;

/** Record an apology. */
public record IssueApologyCommand(
        @TargetAggregateIdentifier String caseId,
        String issuedBy,
        String recipientFamilyReference,
        String text,
        Visibility visibility,
        String actor,
        Instant occurredAt) {
}
