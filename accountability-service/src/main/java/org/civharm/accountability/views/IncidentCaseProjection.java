package org.civharm.accountability.views;

import org.civharm.contract.incident.IncidentEvent;
import org.springframework.stereotype.Component;


/**
 * Maintains the local {@link IncidentCase} copy from incident-service's events, idempotent by the envelope's
 * sequence (the producer's position of the event in the case stream), with the fold in {@link IncidentCases}.
 */
@Component
public class IncidentCaseProjection {

    private final IncidentCaseRepository repository;

    public IncidentCaseProjection(IncidentCaseRepository repository) {
        this.repository = repository;
    }

    /** @return true if the event changed the copy, false if it had been applied before */
    public boolean apply(IncidentEvent event, String eventId, long sequence) {
        IncidentCaseRepository.CaseChange change = changeOf(event, eventId, sequence);
        return repository.apply(change.caseId(), change.sequence(), change.change());
    }

    /** The event as a change to its case, for a rebuild that writes a poll's changes at once. */
    public IncidentCaseRepository.CaseChange changeOf(IncidentEvent event, String eventId, long sequence) {
        return new IncidentCaseRepository.CaseChange(event.caseId(), sequence,
                c -> IncidentCases.apply(c, event, eventId, sequence));
    }
}
