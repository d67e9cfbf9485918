package org.civharm.accountability.views;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.AllegationMarkedDuplicateEvent;
import org.civharm.contract.incident.AllegationReopenedEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.springframework.stereotype.Component;

import java.util.ArrayList;

/**
 * Maintains the local {@link IncidentCase} copy from incident-service's events, idempotent by the envelope's
 * sequence (the producer's position of the event in the case stream).
 */
@Component
public class IncidentCaseProjection {

    private final IncidentCaseRepository repository;

    public IncidentCaseProjection(IncidentCaseRepository repository) {
        this.repository = repository;
    }

    /** @return true if the event changed the copy, false if it had been applied before */
    public boolean apply(IncidentEvent event, String eventId, long sequence) {
        return repository.apply(event.caseId(), sequence, c -> {
            if (event instanceof AllegationFiledEvent e) {
                c.status = IncidentStatus.UNDER_ASSESSMENT;
                c.operation = e.operation();
                c.placeNames = e.place() == null || e.place().names() == null ? new ArrayList<>()
                        : new ArrayList<>(e.place().names());
                c.incidentDate = e.incidentDate();
                c.reportTitle = e.reportTitle();
                c.belligerents = e.belligerents() == null ? new ArrayList<>() : new ArrayList<>(e.belligerents());
            } else if (event instanceof AllegationAcknowledgedEvent e) {
                c.status = IncidentStatus.CREDIBLE;
                c.assessedBy = e.assessedBy();
                c.concededKilled = e.concededKilled();
                c.concededInjured = e.concededInjured();
                c.acknowledgementEventId = eventId;
                c.dismissalReason = null;
            } else if (event instanceof AllegationDismissedEvent e) {
                c.status = IncidentStatus.NON_CREDIBLE;
                c.assessedBy = e.assessedBy();
                c.dismissalReason = e.statedReason();
            } else if (event instanceof AllegationMarkedDuplicateEvent e) {
                c.status = IncidentStatus.DUPLICATE;
                c.assessedBy = e.assessedBy();
            } else if (event instanceof AllegationReopenedEvent) {
                c.status = IncidentStatus.REOPENED;
            }
            // EvidenceAttached and CasualtyFiguresRevised change nothing the copy keeps; the case file shows them.
            c.lastChangedAt = event.recordedAt();
        });
    }
}
