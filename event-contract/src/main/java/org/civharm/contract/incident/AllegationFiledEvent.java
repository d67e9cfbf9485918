package org.civharm.contract.incident;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An allegation of civilian harm was filed: the case exists from here on.
 *
 * @param caseId             id of the case
 * @param source             who reported it
 * @param reportTitle        title of the source's report; may be null
 * @param reportUrl          link to the source's report; may be null
 * @param filedOn            the date the source filed or published the report
 * @param incidentDate       when the incident happened
 * @param place              where it happened
 * @param operation          the military operation, e.g. "Raqqa 2017" (Operation Inherent Resolve); may be null
 * @param casualties         the civilian casualties reported
 * @param belligerents       suspected or known belligerents (at least one)
 * @param weapon             weapon or munition reported, e.g. "precision-guided munition", "artillery"; may be null
 * @param claimedTarget      what the belligerent says it targeted, e.g. "Daesh fighting positions"; may be null
 * @param description        what the source reports
 * @param externalReferences earlier codes and other references to the same incident; may be empty
 */
public record AllegationFiledEvent(
        String caseId,
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
        Instant occurredAt,
        Instant recordedAt) implements IncidentEvent {
}
