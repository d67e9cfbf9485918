package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.Money;

import java.time.Instant;
import java.time.LocalDate;

/** Record that offered amends were paid (or delivered, for amends in kind). */
public record PayAmendsCommand(
        @TargetAggregateIdentifier String caseId,
        String amendsId,
        Money paid,
        String recipientFamilyReference,
        LocalDate paidOn,
        String actor,
        Instant occurredAt) {
}
