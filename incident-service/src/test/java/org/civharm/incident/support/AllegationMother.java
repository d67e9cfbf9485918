package org.civharm.incident.support;

import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.DatePrecision;
import org.civharm.contract.incident.GeoPoint;
import org.civharm.contract.incident.HarmCount;
import org.civharm.contract.incident.IncidentDate;
import org.civharm.contract.incident.Involvement;
import org.civharm.contract.incident.LocationPrecision;
import org.civharm.contract.incident.Place;
import org.civharm.contract.incident.PlaceName;
import org.civharm.contract.incident.Range;
import org.civharm.contract.incident.Source;
import org.civharm.contract.incident.SourceType;
import org.civharm.incident.api.FileAllegationCommand;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationMarkedDuplicateEvent;
import org.civharm.contract.incident.AllegationReopenedEvent;
import org.civharm.contract.incident.CasualtyFiguresRevisedEvent;
import org.civharm.contract.incident.EvidenceAttachedEvent;
import org.civharm.contract.incident.EvidenceKind;
import org.civharm.contract.incident.Statement;
import org.civharm.incident.api.AcknowledgeAllegationCommand;
import org.civharm.incident.api.AttachEvidenceCommand;
import org.civharm.incident.api.DismissAllegationCommand;
import org.civharm.incident.api.MarkDuplicateCommand;
import org.civharm.incident.api.ReopenAllegationCommand;
import org.civharm.incident.api.ReviseCasualtyFiguresCommand;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Object Mother: the one place that builds a valid allegation — as a command, as the event it produces, and as the
 * JSON body of {@code POST /allegations}. Modelled on an Airwars report of a strike in Raqqa, June 2017.
 */
public final class AllegationMother {

    public static final String ACTOR = "caseworker.amal";
    public static final String COALITION = "US-led Coalition";
    public static final Instant FILED_AT = Instant.parse("2017-06-30T00:00:00Z");

    private AllegationMother() {
    }

    public static CasualtyFigures figures(int killedMin, int killedMax) {
        return new CasualtyFigures(
                new HarmCount(Range.of(killedMin, killedMax), Range.of(2, 3), Range.of(1, 2), null),
                new HarmCount(Range.of(4, 6), null, null, null));
    }

    public static FileAllegationCommand fileCommand(String caseId) {
        return new FileAllegationCommand(caseId,
                new Source("Airwars", SourceType.NGO, "web", "CS1234"),
                "Civilians killed in strike on al-Hurriya neighbourhood",
                "https://airwars.org/civilian-casualties/cs1234",
                LocalDate.parse("2017-06-30"),
                new IncidentDate(LocalDate.parse("2017-06-28"), LocalDate.parse("2017-06-28"), DatePrecision.DAY, "night"),
                new Place(List.of(new PlaceName("en", "Raqqa"), new PlaceName("ar", "الرقة")),
                        List.of(new GeoPoint(35.9528, 39.0079, LocationPrecision.NEIGHBOURHOOD, "37SEV3521378042"))),
                "Raqqa 2017",
                figures(8, 12),
                List.of(new Belligerent(COALITION, Involvement.SUSPECTED)),
                "precision-guided munition",
                "Daesh fighting positions",
                "Local sources reported a family killed when their house was struck at night.",
                List.of("CS1234"),
                ACTOR,
                FILED_AT);
    }

    /** The event {@link #fileCommand(String)} produces when recorded at {@code recordedAt}. */
    public static AllegationFiledEvent filedEvent(String caseId, Instant recordedAt) {
        FileAllegationCommand c = fileCommand(caseId);
        return new AllegationFiledEvent(c.caseId(), c.source(), c.reportTitle(), c.reportUrl(), c.filedOn(),
                c.incidentDate(), c.place(), c.operation(), c.casualties(), c.belligerents(), c.weapon(),
                c.claimedTarget(), c.description(), c.externalReferences(), c.actor(), c.occurredAt(), recordedAt);
    }

    /** A valid {@code POST /allegations} body; callers may change entries to make it invalid. */
    public static Map<String, Object> fileRequest(String caseId) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (caseId != null) {
            body.put("caseId", caseId);
        }
        body.put("source", new LinkedHashMap<>(Map.of("name", "Airwars", "type", "NGO", "ownReference", "CS1234")));
        body.put("reportTitle", "Civilians killed in strike on al-Hurriya neighbourhood");
        body.put("reportUrl", "https://airwars.org/civilian-casualties/cs1234");
        body.put("filedOn", "2017-06-30");
        body.put("incidentDate", new LinkedHashMap<>(Map.of("from", "2017-06-28", "precision", "DAY", "timeOfDay", "night")));
        body.put("place", new LinkedHashMap<>(Map.of(
                "names", List.of(Map.of("language", "en", "name", "Raqqa"), Map.of("language", "ar", "name", "الرقة")),
                "points", List.of(Map.of("latitude", 35.9528, "longitude", 39.0079, "precision", "NEIGHBOURHOOD",
                        "mgrs", "37SEV3521378042")))));
        body.put("operation", "Raqqa 2017");
        body.put("casualties", casualtiesBody(8, 12));
        body.put("belligerents", new ArrayList<>(List.of(Map.of("name", COALITION, "involvement", "SUSPECTED"))));
        body.put("weapon", "precision-guided munition");
        body.put("claimedTarget", "Daesh fighting positions");
        body.put("description", "Local sources reported a family killed when their house was struck at night.");
        body.put("externalReferences", List.of("CS1234"));
        return body;
    }

    public static Map<String, Object> casualtiesBody(int killedMin, int killedMax) {
        Map<String, Object> killed = new LinkedHashMap<>();
        killed.put("total", new LinkedHashMap<>(Map.of("min", killedMin, "max", killedMax)));
        killed.put("children", Map.of("min", 2, "max", 3));
        killed.put("women", Map.of("min", 1, "max", 2));
        Map<String, Object> injured = new LinkedHashMap<>();
        injured.put("total", Map.of("min", 4, "max", 6));
        return new LinkedHashMap<>(Map.of("killed", killed, "injured", injured));
    }

    public static Map<String, Object> acknowledgement(int conceded) {
        return new LinkedHashMap<>(Map.of(
                "outcome", "CREDIBLE",
                "assessedBy", COALITION,
                "concededKilled", Map.of("min", conceded, "max", conceded),
                "statement", Map.of("title", "CJTF-OIR Monthly Civilian Casualty Report, 26 July 2018",
                        "url", "https://www.inherentresolve.mil/report-2018-07", "publishedOn", "2018-07-26"),
                "comment", "Acknowledged after field investigation"));
    }

    public static Map<String, Object> dismissal() {
        return new LinkedHashMap<>(Map.of(
                "outcome", "NON_CREDIBLE",
                "assessedBy", COALITION,
                "statedReason", "insufficient information to assess",
                "statement", Map.of("title", "CJTF-OIR Monthly Civilian Casualty Report, 29 December 2017",
                        "publishedOn", "2017-12-29")));
    }

    public static Map<String, Object> evidence(String sha256) {
        return new LinkedHashMap<>(Map.of(
                "kind", "URL",
                "location", "https://archive.org/details/raqqa-strike-video",
                "sha256", sha256,
                "description", "video of the destroyed house",
                "capturedAt", "2018-01-10T10:00:00Z",
                "capturedBy", "field researcher"));
    }

    // ---- Assessment lifecycle: commands and the events they produce (used by the aggregate tests) ----

    public static final String EVIDENCE_URL = "https://archive.org/details/raqqa-strike-video";
    public static final Instant EVIDENCE_CAPTURED_AT = Instant.parse("2018-01-10T10:00:00Z");
    public static final String DISMISSAL_REASON = "insufficient information to assess";
    public static final Instant DISMISSED_AT = Instant.parse("2017-12-29T00:00:00Z");
    public static final Statement DISMISSAL_STATEMENT = new Statement(
            "CJTF-OIR Monthly Civilian Casualty Report, 29 December 2017", null, LocalDate.parse("2017-12-29"));
    public static final Instant ACKNOWLEDGED_AT = Instant.parse("2018-07-26T00:00:00Z");
    public static final Statement ACKNOWLEDGEMENT_STATEMENT = new Statement(
            "CJTF-OIR Monthly Civilian Casualty Report, 26 July 2018",
            "https://www.inherentresolve.mil/report-2018-07", LocalDate.parse("2018-07-26"));
    public static final String ACKNOWLEDGEMENT_COMMENT = "Acknowledged after field investigation";
    public static final String REOPEN_REASON = "new video evidence of the destroyed house";
    public static final Instant REOPENED_AT = Instant.parse("2018-02-01T00:00:00Z");
    public static final String REVISION_REASON = "names of 4 more victims confirmed by family";
    public static final Instant REVISED_AT = Instant.parse("2018-03-01T00:00:00Z");
    public static final String DUPLICATE_REASON = "same strike on the same house, reported by a second source";
    public static final Instant MARKED_DUPLICATE_AT = Instant.parse("2017-08-15T00:00:00Z");

    /** A well-formed, lowercase SHA-256 hex string, distinct for each {@code n}. */
    public static String sha256(int n) {
        return String.format("%064x", n);
    }

    public static AttachEvidenceCommand attachCommand(String caseId, String sha256) {
        return new AttachEvidenceCommand(caseId, EvidenceKind.URL, EVIDENCE_URL, sha256, "video of the destroyed house",
                EVIDENCE_CAPTURED_AT, "field researcher", ACTOR, EVIDENCE_CAPTURED_AT);
    }

    /** The event {@link #attachCommand} produces, with the id and (lowercase) hash given here. */
    public static EvidenceAttachedEvent evidenceAttachedEvent(String caseId, String evidenceId, String sha256,
                                                              Instant recordedAt) {
        AttachEvidenceCommand c = attachCommand(caseId, sha256);
        return new EvidenceAttachedEvent(caseId, evidenceId, c.kind(), c.location(), sha256, c.description(),
                c.capturedAt(), c.capturedBy(), c.actor(), c.occurredAt(), recordedAt);
    }

    public static ReviseCasualtyFiguresCommand reviseCommand(String caseId, CasualtyFigures revised) {
        return new ReviseCasualtyFiguresCommand(caseId, revised, REVISION_REASON, ACTOR, REVISED_AT);
    }

    public static CasualtyFiguresRevisedEvent revisedEvent(String caseId, int revision, CasualtyFigures previous,
                                                           CasualtyFigures revised, Instant recordedAt) {
        return new CasualtyFiguresRevisedEvent(caseId, revision, previous, revised, REVISION_REASON, ACTOR, REVISED_AT,
                recordedAt);
    }

    public static DismissAllegationCommand dismissCommand(String caseId) {
        return dismissCommand(caseId, COALITION);
    }

    public static DismissAllegationCommand dismissCommand(String caseId, String assessedBy) {
        return new DismissAllegationCommand(caseId, assessedBy, DISMISSAL_REASON, DISMISSAL_STATEMENT, ACTOR,
                DISMISSED_AT);
    }

    public static AllegationDismissedEvent dismissedEvent(String caseId, Instant recordedAt) {
        return new AllegationDismissedEvent(caseId, COALITION, DISMISSAL_REASON, DISMISSAL_STATEMENT, ACTOR,
                DISMISSED_AT, recordedAt);
    }

    public static AcknowledgeAllegationCommand acknowledgeCommand(String caseId, int concededKilled) {
        return acknowledgeCommand(caseId, COALITION, concededKilled);
    }

    public static AcknowledgeAllegationCommand acknowledgeCommand(String caseId, String assessedBy, int concededKilled) {
        return new AcknowledgeAllegationCommand(caseId, assessedBy, Range.exactly(concededKilled), Range.none(),
                ACKNOWLEDGEMENT_STATEMENT, ACKNOWLEDGEMENT_COMMENT, ACTOR, ACKNOWLEDGED_AT);
    }

    public static AllegationAcknowledgedEvent acknowledgedEvent(String caseId, int concededKilled,
                                                                boolean reversesDismissal, Instant recordedAt) {
        return new AllegationAcknowledgedEvent(caseId, COALITION, Range.exactly(concededKilled), Range.none(),
                ACKNOWLEDGEMENT_STATEMENT, reversesDismissal, ACKNOWLEDGEMENT_COMMENT, ACTOR, ACKNOWLEDGED_AT,
                recordedAt);
    }

    public static MarkDuplicateCommand markDuplicateCommand(String caseId, String duplicateOfCaseId) {
        return markDuplicateCommand(caseId, duplicateOfCaseId, COALITION);
    }

    public static MarkDuplicateCommand markDuplicateCommand(String caseId, String duplicateOfCaseId,
                                                            String assessedBy) {
        return new MarkDuplicateCommand(caseId, duplicateOfCaseId, assessedBy, DUPLICATE_REASON, ACTOR,
                MARKED_DUPLICATE_AT);
    }

    public static AllegationMarkedDuplicateEvent markedDuplicateEvent(String caseId, String duplicateOfCaseId,
                                                                      Instant recordedAt) {
        return new AllegationMarkedDuplicateEvent(caseId, duplicateOfCaseId, COALITION, DUPLICATE_REASON, ACTOR,
                MARKED_DUPLICATE_AT, recordedAt);
    }

    public static ReopenAllegationCommand reopenCommand(String caseId, String... newEvidenceIds) {
        return new ReopenAllegationCommand(caseId, List.of(newEvidenceIds), REOPEN_REASON, ACTOR, REOPENED_AT);
    }

    public static AllegationReopenedEvent reopenedEvent(String caseId, Instant recordedAt, String... newEvidenceIds) {
        return new AllegationReopenedEvent(caseId, List.of(newEvidenceIds), REOPEN_REASON, ACTOR, REOPENED_AT,
                recordedAt);
    }
}
