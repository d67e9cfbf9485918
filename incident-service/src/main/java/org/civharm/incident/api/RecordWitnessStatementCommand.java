package org.civharm.incident.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.personal.SealedPersonalData;

import java.time.Instant;
import java.time.LocalDate;

/** Record a witness statement; the witness's identity and personal part arrive sealed. */
public record RecordWitnessStatementCommand(
        @TargetAggregateIdentifier String caseId,
        String summary,
        LocalDate takenOn,
        String takenBy,
        SealedPersonalData witness,
        String actor,
        Instant occurredAt) {
}
