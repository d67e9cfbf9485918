package org.civharm.accountability.views;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.IncidentDate;
import org.civharm.contract.incident.PlaceName;
import org.civharm.contract.incident.Range;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * This service's own copy of what it needs to know about a case from intake and assessment, maintained from
 * incident-service's published events (never from its code or database): used to filter by operation and incident
 * date, to show the case with its accountability record, and to decide whether a record may be opened by hand.
 * {@code lastSequence} is the envelope sequence of the last event applied; an event at or below it was applied
 * already and is skipped.
 */
public class IncidentCase {

    public String caseId;
    public IncidentStatus status = IncidentStatus.UNKNOWN;
    public String operation;
    public List<PlaceName> placeNames = new ArrayList<>();
    public IncidentDate incidentDate;
    public String reportTitle;
    public List<Belligerent> belligerents = new ArrayList<>();
    /** Who made the latest assessment, and what it conceded when it acknowledged the harm. */
    public String assessedBy;
    public Range concededKilled;
    public Range concededInjured;
    /** Id of the acknowledgement event that opened (or would open) the accountability record. */
    public String acknowledgementEventId;
    public String dismissalReason;
    public Instant lastChangedAt;
    public long lastSequence = -1;
}
