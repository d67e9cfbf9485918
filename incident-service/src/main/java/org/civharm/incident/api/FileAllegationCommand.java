package org.civharm.incident.api;

import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.IncidentDate;
import org.civharm.contract.incident.Place;
import org.civharm.contract.incident.Source;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** File a new allegation; creates the case. Fields as in {@link org.civharm.contract.incident.AllegationFiledEvent}. */
public record FileAllegationCommand(
        @TargetAggregateIdentifier String caseId,
        Source source,
        String reportTitle,
        String reportUrl,
        LocalDate filedOn,
        IncidentDate incidentDate,
        Place place,
        String operation,
        CasualtyFigures casualties,
        List<Belligerent> belligerents,
        String weapon,
        String claimedTarget,
        String description,
        List<String> externalReferences,
        String actor,
        Instant occurredAt) {
}
