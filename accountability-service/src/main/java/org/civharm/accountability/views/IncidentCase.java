package org.civharm.accountability.views;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.IncidentDate;
import org.civharm.contract.incident.PlaceName;
import org.civharm.contract.incident.Range;
import org.civharm.contract.incident.Source;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * This service's own copy of what it needs to know about a case from intake and assessment, maintained from
 * incident-service's published events (never from its code or database): used to filter by operation and incident
 * date, to show the case with its accountability record, to decide whether a record may be opened by hand, and —
 * folded from the case file up to an instant — for the as-of views and reports (see {@link IncidentCases}).
 * {@code lastSequence} is the envelope sequence of the last event applied; an event at or below it was applied
 * already and is skipped. Personal data (victims' and witnesses' identities) is never opened here: only counted.
 */
public class IncidentCase {

    public String caseId;
    public IncidentStatus status = IncidentStatus.UNKNOWN;
    public String operation;
    public List<PlaceName> placeNames = new ArrayList<>();
    public IncidentDate incidentDate;
    public String reportTitle;
    public String reportUrl;
    public Source source;
    public LocalDate filedOn;
    /** When the allegation was filed (in the world) and who recorded it. */
    public Instant filedAt;
    public String filedBy;
    public List<Belligerent> belligerents = new ArrayList<>();
    /** The civilian casualties documented now (as filed, or as last revised); earlier figures stay in the events. */
    public CasualtyFigures documented;
    public int casualtyRevisions;
    /** Who made the latest assessment, and what it conceded when it acknowledged the harm. */
    public String assessedBy;
    public Range concededKilled;
    public Range concededInjured;
    /** When the acknowledgement was made (in the world), e.g. the date of the belligerent's report. */
    public Instant acknowledgedAt;
    /** True once an acknowledgement reversed an earlier dismissal (both stay in the history). */
    public boolean dismissalReversed;
    /** Id of the acknowledgement event that opened (or would open) the accountability record. */
    public String acknowledgementEventId;
    public String dismissalReason;
    public String duplicateOf;
    public int reopenings;
    public int evidenceItems;
    /** Counts only: identities are sealed personal data and are never opened by this service. */
    public int victimsIdentified;
    public int witnessStatements;
    /** Every change of status, in stream order: filing, each assessment, each reopening. */
    public List<Transition> history = new ArrayList<>();
    public Instant lastChangedAt;
    public long lastSequence = -1;

    /**
     * One change of status.
     *
     * @param sequence   position of the event in the incident stream
     * @param assessedBy the belligerent (or the tracker, for a duplicate found at triage) that assessed; null for
     *                   filing and reopening
     * @param occurredAt when it happened in the world
     * @param recordedAt when civharm recorded it
     * @param recordedBy who recorded it
     */
    public record Transition(long sequence, IncidentStatus status, String assessedBy, Instant occurredAt,
                             Instant recordedAt, String recordedBy) {
    }

    /** The English place name, else the first one; null without a place. */
    public String placeName() {
        return placeNames == null || placeNames.isEmpty() ? null : placeNames.stream()
                .filter(p -> "en".equalsIgnoreCase(p.language())).map(PlaceName::name).findFirst()
                .orElse(placeNames.get(0).name());
    }
}
