package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.OpeningTrigger;

import java.time.Instant;

/** Open the accountability record of a case (creates it). See {@code AccountabilityRecord} for who may open it when. */
public record OpenAccountabilityRecordCommand(
        @TargetAggregateIdentifier String caseId,
        OpeningTrigger trigger,
        String triggeringEventId,
        IncidentStatus incidentStatus,
        String reason,
        String actor,
        Instant occurredAt) {
}
