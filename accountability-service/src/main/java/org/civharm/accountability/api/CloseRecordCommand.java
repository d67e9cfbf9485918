package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Close the accountability record, with the reason. */
public record CloseRecordCommand(
        @TargetAggregateIdentifier String caseId,
        String reason,
        String actor,
        Instant occurredAt) {
}
