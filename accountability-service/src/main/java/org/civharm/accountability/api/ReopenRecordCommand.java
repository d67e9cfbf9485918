package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Reopen a closed accountability record, with the reason. */
public record ReopenRecordCommand(
        @TargetAggregateIdentifier String caseId,
        String reason,
        String actor,
        Instant occurredAt) {
}
