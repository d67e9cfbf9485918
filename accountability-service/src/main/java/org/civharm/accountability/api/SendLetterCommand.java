package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.LetterKind;

import java.time.Instant;
import java.time.LocalDate;

/** Record a letter or request for information sent; answered with its id, e.g. {@code L-1}. */
public record SendLetterCommand(
        @TargetAggregateIdentifier String caseId,
        LetterKind kind,
        String from,
        String to,
        LocalDate sentOn,
        String asked,
        LocalDate responseDueOn,
        String actor,
        Instant occurredAt) {
}
