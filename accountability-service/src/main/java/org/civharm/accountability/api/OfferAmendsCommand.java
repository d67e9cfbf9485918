package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.AmendsType;
import org.civharm.contract.accountability.Money;

import java.time.Instant;

/** Record an amends offer; answered with its id, e.g. {@code AM-1}. */
public record OfferAmendsCommand(
        @TargetAggregateIdentifier String caseId,
        AmendsType type,
        String offeredBy,
        Money offer,
        String recipientFamilyReference,
        String description,
        String actor,
        Instant occurredAt) {
}
