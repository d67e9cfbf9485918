package org.civharm.accountability.support;

import org.civharm.accountability.history.CaseEvent;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AccountabilityRecordOpenedEvent;
import org.civharm.contract.accountability.AmendsOfferedEvent;
import org.civharm.contract.accountability.AmendsPaidEvent;
import org.civharm.contract.accountability.AmendsType;
import org.civharm.contract.accountability.IhlViolationFinding;
import org.civharm.contract.accountability.InvestigatingBody;
import org.civharm.contract.accountability.InvestigationConcludedEvent;
import org.civharm.contract.accountability.InvestigationOpenedEvent;
import org.civharm.contract.accountability.InvestigationScope;
import org.civharm.contract.accountability.Money;
import org.civharm.contract.accountability.OpeningTrigger;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.AllegationMarkedDuplicateEvent;
import org.civharm.contract.incident.AllegationReopenedEvent;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.CasualtyFiguresRevisedEvent;
import org.civharm.contract.incident.DatePrecision;
import org.civharm.contract.incident.EvidenceAttachedEvent;
import org.civharm.contract.incident.EvidenceKind;
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
import org.civharm.contract.incident.Statement;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Object Mother of the fixed data set the audit, history and report tests check figures against — the one place it
 * is defined, with the totals computed by hand next to it.
 * <p>
 * Eight cases, all with operations labelled {@value #SET} so that filters isolate them from the other tests' cases in
 * the shared database:
 * <pre>
 * case             operation / place               incident    documented killed / injured   what happened (occurred; recorded)
 * AUD-RQ-0628      Raqqa / Raqqa                   2017-06-28  8-12 -> 9-12 (rev.) / 4-6    filed 06-30; dismissed 2017-12-29 (rec. 2018-01-03);
 *                                                                                            evidence, reopened 2018-06-01; revised 06-15;
 *                                                                                            acknowledged 2018-07-26 (rec. 07-27): 8 killed, 0 injured
 * AUD-RQ-0718      Raqqa / Raqqa                   2017-07-18  11-15 / 3-5                  filed 07-20; acknowledged 2018-07-26: 11 / 2
 * AUD-RQ-1012      Raqqa / Raqqa                   2017-10-12  16-20 / 5-9                  filed 10-14; dismissed 2018-02-22; reopened 2018-06-07;
 *                                                                                            acknowledged 2018-07-26: 16 / 0
 * AUD-RQ-0801      Raqqa / Raqqa                   2017-08-01  10-14 / 0-2                  filed 08-03; acknowledged 2018-06-28: 8 / 1
 * AUD-RQ-0903      Raqqa / Raqqa Old City          2017-09-03  40-52 / 10-20                filed 09-05; acknowledged 2018-07-26: 34 / 12
 * AUD-RQ-0718-DUP  Raqqa / Raqqa                   2017-07-18  11-15 / 3-5                  filed 07-25; duplicate of AUD-RQ-0718 (2017-08-10)
 * AUD-MS-0317      Mosul / Mosul                   2017-03-17  105-150 / 20-40              filed 03-25; acknowledged 2017-05-25: 105 / 0
 * AUD-PK-0708      Pakistan drone strikes / N. Waziristan 2017-07-08 4-6 / 1-2              filed 07-10; never answered
 * </pre>
 * Accountability (over the API, recorded "now"): records open automatically on the six acknowledgements; AUD-RQ-0628:
 * investigation opened and concluded (no IHL violation, published), 2500.00 USD ex gratia offered and paid;
 * AUD-MS-0317: investigation opened.
 * <p>
 * Raqqa: 8 + 11 + 16 + 8 + 34 = 77 deaths conceded (the mid-2018 admissions), against 86-113 documented.
 */
public final class AuditDataSet {

    /** Contained in every operation of the set: the filter that selects exactly the set. */
    public static final String SET = "[audit set]";
    public static final String RAQQA = "Raqqa 2017 " + SET;
    public static final String MOSUL = "Mosul 2017 " + SET;
    public static final String PAKISTAN = "Pakistan drone strikes " + SET;

    public static final String RQ_0628 = "AUD-RQ-0628";
    public static final String RQ_0718 = "AUD-RQ-0718";
    public static final String RQ_1012 = "AUD-RQ-1012";
    public static final String RQ_0801 = "AUD-RQ-0801";
    public static final String RQ_0903 = "AUD-RQ-0903";
    public static final String RQ_DUP = "AUD-RQ-0718-DUP";
    public static final String MS_0317 = "AUD-MS-0317";
    public static final String PK_0708 = "AUD-PK-0708";
    public static final List<String> CASES = List.of(RQ_0628, RQ_0718, RQ_1012, RQ_0801, RQ_0903, RQ_DUP, MS_0317, PK_0708);
    public static final List<String> ACKNOWLEDGED = List.of(RQ_0628, RQ_0718, RQ_1012, RQ_0801, RQ_0903, MS_0317);

    public static final String COALITION = "US-led Coalition";
    public static final String RECORDER = "auditset.recorder";

    /** Free text of the set that must never reach what the PUBLIC role reads. */
    public static final String DESCRIPTION = "FREETEXT-DESCRIPTION a family killed when their house was struck at night";
    public static final String DISMISSAL_REASON = "FREETEXT-REASON insufficient information to assess";
    public static final String ACK_COMMENT = "FREETEXT-COMMENT acknowledged in the monthly report";
    public static final String REPORT_TITLE = "FREETEXT-TITLE civilians harmed in a strike";
    public static final List<String> FREE_TEXT = List.of("FREETEXT", RECORDER, "caseworker.amal", "FAM-RQ",
            "airwars.org", "CJTF-OIR Monthly");

    // ---- hand-computed figures (asOf now unless stated) ----
    public static final int RAQQA_CONCEDED_KILLED = 8 + 11 + 16 + 8 + 34;            // 77
    public static final long[] RAQQA_DOCUMENTED_KILLED = {9 + 11 + 16 + 10 + 40, 12 + 15 + 20 + 14 + 52}; // 86-113
    public static final long[] RAQQA_DOCUMENTED_INJURED = {4 + 3 + 5 + 0 + 10, 6 + 5 + 9 + 2 + 20};       // 22-42
    public static final int RAQQA_CONCEDED_INJURED = 0 + 2 + 0 + 1 + 12;             // 15
    public static final long[] TOTAL_DOCUMENTED_KILLED = {86 + 105 + 4, 113 + 150 + 6}; // 195-269 (duplicate left out)
    public static final int TOTAL_CONCEDED_KILLED = 77 + 105;                         // 182
    public static final long[] TOTAL_DOCUMENTED_INJURED = {22 + 20 + 1, 42 + 40 + 2};   // 43-84
    public static final int TOTAL_CONCEDED_INJURED = 15;
    /** Raqqa as recorded on 2018-03-01: nothing acknowledged yet, AUD-RQ-0628 still at 8-12. */
    public static final long[] RAQQA_DOCUMENTED_KILLED_2018_03 = {8 + 11 + 16 + 10 + 40, 12 + 15 + 20 + 14 + 52}; // 85-113

    public static final Instant BEFORE_ADMISSION = Instant.parse("2018-03-01T00:00:00Z");
    public static final Instant AFTER_ADMISSION = Instant.parse("2018-08-01T00:00:00Z");
    public static final Instant BETWEEN_JUNE_AND_JULY_ADMISSIONS = Instant.parse("2018-07-01T00:00:00Z");

    public static final BigDecimal PAID = new BigDecimal("2500.00");

    private AuditDataSet() {
    }

    /** The incident streams of the set, each with its hash chain. */
    public static List<IncidentStream> incidentStreams() {
        List<IncidentStream> out = new ArrayList<>();
        out.add(new IncidentStream(RQ_0628)
                .then(filed(RQ_0628, RAQQA, "Raqqa", "الرقة", "2017-06-28", figures(8, 12, 4, 6), "2017-06-30T00:00:00Z", "2017-07-02T09:14:05Z"))
                .then(dismissed(RQ_0628, "2017-12-29T00:00:00Z", "2018-01-03T10:00:00Z"))
                .then(evidence(RQ_0628, "2018-05-20T00:00:00Z", "2018-05-21T10:00:00Z"))
                .then(reopened(RQ_0628, "2018-06-01T00:00:00Z", "2018-06-02T10:00:00Z"))
                .then(new CasualtyFiguresRevisedEvent(RQ_0628, 1, figures(8, 12, 4, 6), figures(9, 12, 4, 6),
                        "FREETEXT-REASON a ninth victim named by the family", RECORDER,
                        at("2018-06-15T00:00:00Z"), at("2018-06-15T10:00:00Z")))
                .then(acknowledged(RQ_0628, 8, 0, true, "2018-07-26T00:00:00Z", "2018-07-27T08:45:12Z")));
        out.add(new IncidentStream(RQ_0718)
                .then(filed(RQ_0718, RAQQA, "Raqqa", "الرقة", "2017-07-18", figures(11, 15, 3, 5), "2017-07-20T00:00:00Z", "2017-07-21T10:00:00Z"))
                .then(acknowledged(RQ_0718, 11, 2, false, "2018-07-26T00:00:00Z", "2018-07-27T09:00:00Z")));
        out.add(new IncidentStream(RQ_1012)
                .then(filed(RQ_1012, RAQQA, "Raqqa", "الرقة", "2017-10-12", figures(16, 20, 5, 9), "2017-10-14T00:00:00Z", "2017-10-15T10:00:00Z"))
                .then(dismissed(RQ_1012, "2018-02-22T00:00:00Z", "2018-02-23T10:00:00Z"))
                .then(evidence(RQ_1012, "2018-06-05T00:00:00Z", "2018-06-06T10:00:00Z"))
                .then(reopened(RQ_1012, "2018-06-07T00:00:00Z", "2018-06-07T12:00:00Z"))
                .then(acknowledged(RQ_1012, 16, 0, true, "2018-07-26T00:00:00Z", "2018-07-27T09:10:00Z")));
        out.add(new IncidentStream(RQ_0801)
                .then(filed(RQ_0801, RAQQA, "Raqqa", "الرقة", "2017-08-01", figures(10, 14, 0, 2), "2017-08-03T00:00:00Z", "2017-08-04T10:00:00Z"))
                .then(acknowledged(RQ_0801, 8, 1, false, "2018-06-28T00:00:00Z", "2018-06-29T10:00:00Z")));
        out.add(new IncidentStream(RQ_0903)
                .then(filed(RQ_0903, RAQQA, "Raqqa Old City", "الرقة القديمة", "2017-09-03", figures(40, 52, 10, 20), "2017-09-05T00:00:00Z", "2017-09-06T10:00:00Z"))
                .then(acknowledged(RQ_0903, 34, 12, false, "2018-07-26T00:00:00Z", "2018-07-27T09:20:00Z")));
        out.add(new IncidentStream(RQ_DUP)
                .then(filed(RQ_DUP, RAQQA, "Raqqa", "الرقة", "2017-07-18", figures(11, 15, 3, 5), "2017-07-25T00:00:00Z", "2017-07-26T10:00:00Z"))
                .then(new AllegationMarkedDuplicateEvent(RQ_DUP, RQ_0718, "civharm triage",
                        "FREETEXT-REASON same strike, reported twice", RECORDER, at("2017-08-10T00:00:00Z"),
                        at("2017-08-10T10:00:00Z"))));
        out.add(new IncidentStream(MS_0317)
                .then(filed(MS_0317, MOSUL, "Mosul", "الموصل", "2017-03-17", figures(105, 150, 20, 40), "2017-03-25T00:00:00Z", "2017-03-26T10:00:00Z"))
                .then(acknowledged(MS_0317, 105, 0, false, "2017-05-25T00:00:00Z", "2017-05-26T10:00:00Z")));
        out.add(new IncidentStream(PK_0708)
                .then(filed(PK_0708, PAKISTAN, "North Waziristan", "شمالی وزیرستان", "2017-07-08", figures(4, 6, 1, 2), "2017-07-10T00:00:00Z", "2017-07-11T10:00:00Z")));
        return out;
    }

    /**
     * The set as the fold reads it, without Kafka or a service: every incident event, and accountability events
     * like those the service records for it (recorded in 2019 here; over the API they are recorded "now").
     */
    public static Map<String, List<CaseEvent>> caseEvents() {
        Map<String, List<CaseEvent>> out = new LinkedHashMap<>();
        for (IncidentStream s : incidentStreams()) {
            List<CaseEvent> events = new ArrayList<>();
            s.events().forEach(p -> events.add(CaseEvent.of(p.event(), p.eventId(), p.sequence())));
            out.put(s.caseId(), events);
        }
        for (String caseId : ACKNOWLEDGED) {
            List<AccountabilityEvent> record = new ArrayList<>();
            Instant opened = at("2019-01-02T00:00:00Z");
            record.add(new AccountabilityRecordOpenedEvent(caseId, OpeningTrigger.ACKNOWLEDGEMENT, UUID.randomUUID().toString(),
                    "acknowledged as credible", "accountability-service", opened, opened));
            if (caseId.equals(RQ_0628)) {
                record.add(new InvestigationOpenedEvent(caseId, "INV-1", InvestigatingBody.MILITARY_COMMAND, "cell",
                        List.of(InvestigationScope.FIELD_VISIT), RECORDER, at("2018-08-01T00:00:00Z"), at("2019-01-03T00:00:00Z")));
                record.add(new InvestigationConcludedEvent(caseId, "INV-1", IhlViolationFinding.NO, "FREETEXT-FINDINGS",
                        true, "report", RECORDER, at("2018-11-15T00:00:00Z"), at("2019-01-04T00:00:00Z")));
                record.add(new AmendsOfferedEvent(caseId, "AM-1", AmendsType.EX_GRATIA, "United States",
                        new Money(PAID, "USD"), "FAM-RQ-0628-01", "FREETEXT-AMENDS", RECORDER,
                        at("2019-01-10T00:00:00Z"), at("2019-01-10T00:00:00Z")));
                record.add(new AmendsPaidEvent(caseId, "AM-1", new Money(PAID, "USD"), "FAM-RQ-0628-01",
                        LocalDate.parse("2019-02-20"), RECORDER, at("2019-02-20T00:00:00Z"), at("2019-02-20T00:00:00Z")));
            }
            if (caseId.equals(MS_0317)) {
                record.add(new InvestigationOpenedEvent(caseId, "INV-1", InvestigatingBody.MILITARY_COMMAND, "cell",
                        List.of(InvestigationScope.FIELD_VISIT), RECORDER, at("2019-01-05T00:00:00Z"), at("2019-01-05T00:00:00Z")));
            }
            for (int i = 0; i < record.size(); i++) {
                out.get(caseId).add(CaseEvent.of(record.get(i), UUID.randomUUID().toString(), i));
            }
        }
        return out;
    }

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    static CasualtyFigures figures(int killedMin, int killedMax, int injuredMin, int injuredMax) {
        return new CasualtyFigures(new HarmCount(Range.of(killedMin, killedMax), null, null, null),
                new HarmCount(Range.of(injuredMin, injuredMax), null, null, null));
    }

    static AllegationFiledEvent filed(String caseId, String operation, String placeEn, String placeAr, String incidentDay,
                                      CasualtyFigures figures, String occurredAt, String recordedAt) {
        LocalDate day = LocalDate.parse(incidentDay);
        return new AllegationFiledEvent(caseId, new Source("Airwars", SourceType.NGO, "monthly report", "CS-" + caseId),
                REPORT_TITLE, "https://airwars.org/civilian-casualties/" + caseId.toLowerCase(),
                LocalDate.ofInstant(at(occurredAt), java.time.ZoneOffset.UTC), new IncidentDate(day, day, DatePrecision.DAY, "night"),
                new Place(List.of(new PlaceName("en", placeEn), new PlaceName("ar", placeAr)),
                        List.of(new GeoPoint(35.9528, 39.0079, LocationPrecision.NEIGHBOURHOOD, null))),
                operation, figures, List.of(new Belligerent(COALITION, Involvement.SUSPECTED)),
                "precision-guided munition", "Daesh fighting positions", DESCRIPTION, List.of("CS-" + caseId),
                RECORDER, at(occurredAt), at(recordedAt));
    }

    static AllegationDismissedEvent dismissed(String caseId, String occurredAt, String recordedAt) {
        return new AllegationDismissedEvent(caseId, COALITION, DISMISSAL_REASON,
                new Statement("CJTF-OIR Monthly Civilian Casualty Report", null, LocalDate.ofInstant(at(occurredAt),
                        java.time.ZoneOffset.UTC)), RECORDER, at(occurredAt), at(recordedAt));
    }

    static EvidenceAttachedEvent evidence(String caseId, String occurredAt, String recordedAt) {
        return new EvidenceAttachedEvent(caseId, "E-1", EvidenceKind.URL, "https://airwars.org/evidence/" + caseId,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "FREETEXT-EVIDENCE video of the site",
                at(occurredAt), "Airwars", RECORDER, at(occurredAt), at(recordedAt));
    }

    static AllegationReopenedEvent reopened(String caseId, String occurredAt, String recordedAt) {
        return new AllegationReopenedEvent(caseId, List.of("E-1"), "FREETEXT-REASON new video evidence", RECORDER,
                at(occurredAt), at(recordedAt));
    }

    static AllegationAcknowledgedEvent acknowledged(String caseId, int killed, int injured, boolean reverses,
                                                    String occurredAt, String recordedAt) {
        return new AllegationAcknowledgedEvent(caseId, COALITION, Range.exactly(killed), Range.exactly(injured),
                new Statement("CJTF-OIR Monthly Civilian Casualty Report", "https://www.inherentresolve.mil/report",
                        LocalDate.ofInstant(at(occurredAt), java.time.ZoneOffset.UTC)),
                reverses, ACK_COMMENT, RECORDER, at(occurredAt), at(recordedAt));
    }
}
