package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.time.LocalDate;

/** Record the answer to a letter or request for information. */
public record AnswerLetterCommand(
        @TargetAggregateIdentifier String caseId,
        String letterId,
        LocalDate answeredOn,
        String summary,
        String actor,
        Instant occurredAt) {
}
