package org.civharm.incident.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.incident.AgeGroup;
import org.civharm.contract.incident.HarmSuffered;
import org.civharm.contract.incident.Sex;
import org.civharm.contract.personal.SealedPersonalData;

import java.time.Instant;

/** Record a named victim; the identity arrives already sealed, so the aggregate never holds plaintext. */
public record RecordVictimCommand(
        @TargetAggregateIdentifier String caseId,
        HarmSuffered harm,
        AgeGroup ageGroup,
        Sex sex,
        SealedPersonalData identity,
        String actor,
        Instant occurredAt) {
}
