package org.civharm.incident.views;

import org.civharm.contract.incident.AgeGroup;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.HarmSuffered;
import org.civharm.contract.incident.Sex;
import org.civharm.contract.personal.PersonalDetails;
import org.civharm.contract.personal.SealedPersonalData;
import org.civharm.contract.incident.EvidenceKind;
import org.civharm.contract.incident.IncidentDate;
import org.civharm.contract.incident.Involvement;
import org.civharm.contract.incident.Place;
import org.civharm.contract.incident.Range;
import org.civharm.contract.incident.Source;
import org.civharm.contract.incident.Statement;
import org.civharm.incident.api.AllegationStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The case summary view: one document per case, rebuilt from the case's events. A mutable document class on
 * purpose — the projection applies one event at a time to it. {@code lastSequence} is the sequence number of the
 * last event applied; an event at or below it was applied already and is skipped (idempotent re-delivery).
 */
public class AllegationSummary {

    public String caseId;
    public AllegationStatus status;
    public Source source;
    public String reportTitle;
    public String reportUrl;
    public LocalDate filedOn;
    public IncidentDate incidentDate;
    public Place place;
    public String operation;
    /** Current figures; earlier ones are in the event stream ({@code CasualtyFiguresRevised}). */
    public CasualtyFigures casualties;
    public int casualtyRevisions;
    public List<BelligerentPosition> belligerents = new ArrayList<>();
    public String weapon;
    public String claimedTarget;
    public String description;
    public List<String> externalReferences = new ArrayList<>();
    public Assessment latestAssessment;
    public int assessments;
    /** True once an acknowledgement followed a dismissal (the Raqqa pattern). */
    public boolean dismissalReversed;
    public String duplicateOfCaseId;
    public int reopenings;
    public List<EvidenceItem> evidence = new ArrayList<>();
    /** Named victims; identities stay sealed here and are opened (or redacted) per reader. */
    public List<Victim> victims = new ArrayList<>();
    public List<WitnessStatement> witnessStatements = new ArrayList<>();
    public String filedBy;
    public Instant recordedAt;
    public Instant lastChangedAt;
    public long lastSequence;

    /** Position of one belligerent on this case. */
    public static class BelligerentPosition {
        public String name;
        public Involvement involvement;
        /** NOT_YET_ASSESSED, CREDIBLE, NON_CREDIBLE or DUPLICATE. */
        public String position = "NOT_YET_ASSESSED";
        public String statedReason;
        public Range concededKilled;
        public Range concededInjured;
        public Statement statement;
    }

    /** The latest assessment recorded on the case. */
    public static class Assessment {
        /** CREDIBLE, NON_CREDIBLE or DUPLICATE. */
        public String outcome;
        public String assessedBy;
        public Range concededKilled;
        public Range concededInjured;
        public String statedReason;
        public Statement statement;
        public String duplicateOfCaseId;
        public String comment;
        public String actor;
        public Instant occurredAt;
        public Instant recordedAt;
    }

    /** A named victim. {@code identity} is sealed personal data; {@code name} is filled per reader, never stored. */
    public static class Victim {
        public String victimId;
        public HarmSuffered harm;
        public AgeGroup ageGroup;
        public Sex sex;
        public SealedPersonalData identity;
        public PersonalDetails person;
        public Instant recordedAt;
    }

    /** A witness statement: shareable summary; the witness's identity sealed as for victims. */
    public static class WitnessStatement {
        public String statementId;
        public String summary;
        public LocalDate takenOn;
        public String takenBy;
        public SealedPersonalData witness;
        public PersonalDetails person;
        public Instant recordedAt;
    }

    /** An attached evidence item. */
    public static class EvidenceItem {
        public String evidenceId;
        public EvidenceKind kind;
        public String location;
        public String sha256;
        public String description;
        public Instant capturedAt;
        public String capturedBy;
        public String attachedBy;
        public Instant recordedAt;
    }
}
