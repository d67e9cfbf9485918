package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.Visibility;

import java.time.Instant;

/** Record the explanation given to the family: what was targeted, why, which precautions. */
public record ProvideExplanationCommand(
        @TargetAggregateIdentifier String caseId,
        String recipientFamilyReference,
        String whatWasTargeted,
        String why,
        String precautionsTaken,
        Visibility visibility,
        String actor,
        Instant occurredAt) {
}
