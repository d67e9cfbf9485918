package org.civharm.accountability.history;

import org.civharm.accountability.views.TimelineEntry;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.incident.IncidentEvent;

import java.time.Instant;

/**
 * One event of a case as the fold reads it: the typed event (an {@link IncidentEvent} or an
 * {@link AccountabilityEvent}) with where it sits in its producer's stream.
 *
 * @param entry the case-file entry it was read from (null when built directly, e.g. in tests)
 */
public record CaseEvent(String eventId, String producedBy, long sequence, String type, String actor,
                        Instant occurredAt, Instant recordedAt, Object event, TimelineEntry entry) {

    public static final String INCIDENT_SERVICE = "incident-service";
    public static final String ACCOUNTABILITY_SERVICE = "accountability-service";

    /** An incident event at a position of its case stream (tests and tools). */
    public static CaseEvent of(IncidentEvent e, String eventId, long sequence) {
        return new CaseEvent(eventId, INCIDENT_SERVICE, sequence, IncidentEvent.typeName(e.getClass()), e.actor(),
                e.occurredAt(), e.recordedAt(), e, null);
    }

    /** An accountability event at a position of its case stream (tests and tools). */
    public static CaseEvent of(AccountabilityEvent e, String eventId, long sequence) {
        return new CaseEvent(eventId, ACCOUNTABILITY_SERVICE, sequence, AccountabilityEvent.typeName(e.getClass()),
                e.actor(), e.occurredAt(), e.recordedAt(), e, null);
    }

    public String caseId() {
        return event instanceof IncidentEvent i ? i.caseId() : ((AccountabilityEvent) event).caseId();
    }
}
