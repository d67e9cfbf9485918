package org.civharm.accountability.views;

import org.civharm.contract.incident.IncidentEvent;
import org.springframework.stereotype.Component;

import java.util.List;


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

    /** Changes to the live copy, written at once ({@link IncidentCaseRepository#applyAll}). */
    public void applyAll(List<IncidentCaseRepository.CaseChange> changes) {
        repository.applyAll(changes);
    }

    /** The event as a change to its case, for a run of events written at once (live, or by a rebuild). */
    public IncidentCaseRepository.CaseChange changeOf(IncidentEvent event, String eventId, long sequence) {
        return new IncidentCaseRepository.CaseChange(event.caseId(), sequence,
                c -> IncidentCases.apply(c, event, eventId, sequence));
    }
}
