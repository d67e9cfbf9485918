package org.civharm.accountability.views;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.AllegationMarkedDuplicateEvent;
import org.civharm.contract.incident.AllegationReopenedEvent;
import org.civharm.contract.incident.CasualtyFiguresRevisedEvent;
import org.civharm.contract.incident.EvidenceAttachedEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.incident.VictimIdentifiedEvent;
import org.civharm.contract.incident.WitnessStatementRecordedEvent;

import java.util.ArrayList;

/**
 * How this service's copy of a case follows from incident-service's events: a pure fold, used by the live Kafka
 * projection, by its rebuild from the topic, and (through the case fold) by the as-of views, the replay and the
 * reports — so they cannot disagree. Sealed personal data is never opened: victims and witness statements are counted.
 */
public final class IncidentCases {

    private IncidentCases() {
    }

    /**
     * Applies one event to the copy in place (the caller sets {@code lastSequence}).
     *
     * @param eventId  the event's id at incident-service
     * @param sequence its position in the case's incident stream
     */
    public static void apply(IncidentCase c, IncidentEvent event, String eventId, long sequence) {
        if (event instanceof AllegationFiledEvent e) {
            c.status = IncidentStatus.UNDER_ASSESSMENT;
            c.operation = e.operation();
            c.placeNames = e.place() == null || e.place().names() == null ? new ArrayList<>()
                    : new ArrayList<>(e.place().names());
            c.incidentDate = e.incidentDate();
            c.reportTitle = e.reportTitle();
            c.reportUrl = e.reportUrl();
            c.source = e.source();
            c.filedOn = e.filedOn();
            c.filedAt = e.occurredAt();
            c.filedBy = e.actor();
            c.documented = e.casualties();
            c.belligerents = e.belligerents() == null ? new ArrayList<>() : new ArrayList<>(e.belligerents());
            transition(c, sequence, IncidentStatus.UNDER_ASSESSMENT, null, e);
        } else if (event instanceof AllegationAcknowledgedEvent e) {
            c.status = IncidentStatus.CREDIBLE;
            c.assessedBy = e.assessedBy();
            c.concededKilled = e.concededKilled();
            c.concededInjured = e.concededInjured();
            c.acknowledgedAt = e.occurredAt();
            c.acknowledgementEventId = eventId;
            c.dismissalReversed = c.dismissalReversed || e.reversesDismissal();
            c.dismissalReason = null;
            c.duplicateOf = null;
            transition(c, sequence, IncidentStatus.CREDIBLE, e.assessedBy(), e);
        } else if (event instanceof AllegationDismissedEvent e) {
            c.status = IncidentStatus.NON_CREDIBLE;
            c.assessedBy = e.assessedBy();
            c.dismissalReason = e.statedReason();
            transition(c, sequence, IncidentStatus.NON_CREDIBLE, e.assessedBy(), e);
        } else if (event instanceof AllegationMarkedDuplicateEvent e) {
            c.status = IncidentStatus.DUPLICATE;
            c.assessedBy = e.assessedBy();
            c.duplicateOf = e.duplicateOfCaseId();
            transition(c, sequence, IncidentStatus.DUPLICATE, e.assessedBy(), e);
        } else if (event instanceof AllegationReopenedEvent e) {
            c.status = IncidentStatus.REOPENED;
            c.duplicateOf = null;
            c.reopenings++;
            transition(c, sequence, IncidentStatus.REOPENED, null, e);
        } else if (event instanceof CasualtyFiguresRevisedEvent e) {
            c.documented = e.revised();
            c.casualtyRevisions = e.revision();
        } else if (event instanceof EvidenceAttachedEvent) {
            c.evidenceItems++;
        } else if (event instanceof VictimIdentifiedEvent) {
            c.victimsIdentified++;
        } else if (event instanceof WitnessStatementRecordedEvent) {
            c.witnessStatements++;
        }
        c.lastChangedAt = event.recordedAt();
    }

    private static void transition(IncidentCase c, long sequence, IncidentStatus status, String assessedBy,
                                   IncidentEvent e) {
        c.history.add(new IncidentCase.Transition(sequence, status, assessedBy, e.occurredAt(), e.recordedAt(), e.actor()));
    }
}
