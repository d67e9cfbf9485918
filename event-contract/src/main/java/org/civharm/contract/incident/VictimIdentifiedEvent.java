package org.civharm.contract.incident;

import org.civharm.contract.personal.SealedPersonalData;

import java.time.Instant;

/**
 * A victim was identified by name. The identity is personal data and travels sealed; the rest is not personal.
 *
 * @param victimId id within the case, e.g. "V-1"
 * @param identity PERSONAL DATA, sealed: name, contact, relationship
 */
public record VictimIdentifiedEvent(
        String caseId,
        String victimId,
        HarmSuffered harm,
        AgeGroup ageGroup,
        Sex sex,
        SealedPersonalData identity,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements IncidentEvent {
}
