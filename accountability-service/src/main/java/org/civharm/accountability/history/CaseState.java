package org.civharm.accountability.history;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.Stage;
import org.civharm.accountability.views.AccountabilityRecordView;
import org.civharm.accountability.views.IncidentCase;

import java.time.Instant;

/**
 * A whole case as the fold of its events leaves it: the case as known from incident-service's events, and the
 * accountability record. Both parts are folded by the same code as the live views ({@code IncidentCases},
 * {@code AccountabilityRecords}), so an as-of answer and the live view cannot disagree on the same events.
 *
 * @see CaseFold
 */
public class CaseState {

    public String caseId;
    /** Null until an incident event of the case is on record. */
    public IncidentCase incident;
    /** Null until the accountability record is opened. */
    public AccountabilityRecordView accountability;
    /** Events folded. */
    public int events;
    /** When the last folded event was recorded. */
    public Instant lastRecordedAt;

    /** The case's status at intake and assessment; UNKNOWN without an incident event. */
    public IncidentStatus incidentStatus() {
        return incident == null ? IncidentStatus.UNKNOWN : incident.status;
    }

    /** The accountability stage; null without a record. */
    public Stage stage() {
        return accountability == null ? null : accountability.stage;
    }
}
