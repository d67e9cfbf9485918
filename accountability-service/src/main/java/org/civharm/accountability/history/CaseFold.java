package org.civharm.accountability.history;

import org.civharm.accountability.views.AccountabilityRecords;
import org.civharm.accountability.views.IncidentCase;
import org.civharm.accountability.views.IncidentCases;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AccountabilityRecordOpenedEvent;
import org.civharm.contract.incident.IncidentEvent;

import java.util.List;

/**
 * The one fold of a whole case (both services' events, merged by {@link CaseEvents#merge}): used by the case file as
 * of an instant, by the step-by-step replay, by the register as of a date and by every report and export. Pure: no
 * I/O, no clock.
 */
public final class CaseFold {

    private CaseFold() {
    }

    /** The state after all {@code events} (already merged); an empty state for none. */
    public static CaseState fold(String caseId, List<CaseEvent> events) {
        CaseState state = new CaseState();
        state.caseId = caseId;
        for (CaseEvent e : events) {
            apply(state, e);
        }
        return state;
    }

    /** Applies one event in place. An accountability event before the record's opening is ignored. */
    public static void apply(CaseState s, CaseEvent e) {
        if (e.event() instanceof IncidentEvent event) {
            if (s.incident == null) {
                s.incident = new IncidentCase();
                s.incident.caseId = event.caseId();
            }
            IncidentCases.apply(s.incident, event, e.eventId(), e.sequence());
            s.incident.lastSequence = e.sequence();
        } else if (e.event() instanceof AccountabilityRecordOpenedEvent opened) {
            if (s.accountability == null) {
                s.accountability = AccountabilityRecords.opened(opened, e.sequence());
                s.accountability.derive();
            }
        } else if (e.event() instanceof AccountabilityEvent event && s.accountability != null) {
            AccountabilityRecords.apply(s.accountability, event);
            s.accountability.lastSequence = e.sequence();
            s.accountability.derive();
        }
        s.events++;
        s.lastRecordedAt = e.recordedAt();
    }
}
