package org.civharm.accountability.support;

import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.CasualtyFiguresRevisedEvent;
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
import org.civharm.contract.incident.Statement;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Object Mother of the incident events this service consumes, as incident-service publishes them: a Raqqa strike of
 * 28 June 2017 filed by Airwars, dismissed, then acknowledged (8 civilians) in July 2018.
 */
public final class IncidentMother {

    public static final String COALITION = "US-led Coalition";
    public static final String INTAKE_ACTOR = "caseworker.amal";
    public static final Instant FILED_AT = Instant.parse("2017-06-30T00:00:00Z");
    public static final Instant FILED_RECORDED_AT = Instant.parse("2017-07-02T09:14:05Z");
    public static final Instant DISMISSED_AT = Instant.parse("2017-12-29T00:00:00Z");
    public static final Instant DISMISSED_RECORDED_AT = Instant.parse("2018-01-03T10:00:00Z");
    public static final Instant ACKNOWLEDGED_AT = Instant.parse("2018-07-26T00:00:00Z");
    public static final Instant ACKNOWLEDGED_RECORDED_AT = Instant.parse("2018-07-27T08:45:12Z");

    private IncidentMother() {
    }

    public static AllegationFiledEvent filed(String caseId) {
        return filed(caseId, "Raqqa 2017", "Raqqa", "الرقة", LocalDate.parse("2017-06-28"));
    }

    public static AllegationFiledEvent filed(String caseId, String operation, String placeEn, String placeAr,
                                             LocalDate incidentDay) {
        return new AllegationFiledEvent(caseId, new Source("Airwars", SourceType.NGO, "monthly report", "CS1234"),
                "Civilians killed in strike on a family house in " + placeEn,
                "https://airwars.org/civilian-casualties/cs1234", incidentDay.plusDays(2),
                new IncidentDate(incidentDay, incidentDay, DatePrecision.DAY, "night"),
                new Place(List.of(new PlaceName("en", placeEn), new PlaceName("ar", placeAr)),
                        List.of(new GeoPoint(35.9528, 39.0079, LocationPrecision.NEIGHBOURHOOD, null))),
                operation, figures(8, 12), List.of(new Belligerent(COALITION, Involvement.SUSPECTED)),
                "precision-guided munition", "Daesh fighting positions",
                "Local sources reported a family killed when their house was struck at night.", List.of("CS1234"),
                INTAKE_ACTOR, FILED_AT, FILED_RECORDED_AT);
    }

    public static AllegationDismissedEvent dismissed(String caseId) {
        return new AllegationDismissedEvent(caseId, COALITION, "insufficient information to assess",
                new Statement("CJTF-OIR Monthly Civilian Casualty Report, 29 December 2017", null,
                        LocalDate.parse("2017-12-29")), INTAKE_ACTOR, DISMISSED_AT, DISMISSED_RECORDED_AT);
    }

    public static AllegationAcknowledgedEvent acknowledged(String caseId) {
        return new AllegationAcknowledgedEvent(caseId, COALITION, Range.exactly(8), Range.none(),
                new Statement("CJTF-OIR Monthly Civilian Casualty Report, 26 July 2018",
                        "https://www.inherentresolve.mil/report-2018-07", LocalDate.parse("2018-07-26")),
                false, "8 civilians acknowledged for one of 17 strikes on 28 June 2017", INTAKE_ACTOR,
                ACKNOWLEDGED_AT, ACKNOWLEDGED_RECORDED_AT);
    }

    public static CasualtyFiguresRevisedEvent revised(String caseId, int revision, Instant recordedAt) {
        return new CasualtyFiguresRevisedEvent(caseId, revision, figures(8, 12), figures(9, 12),
                "a ninth victim named by the family", INTAKE_ACTOR, recordedAt, recordedAt);
    }

    public static CasualtyFigures figures(int killedMin, int killedMax) {
        return new CasualtyFigures(new HarmCount(Range.of(killedMin, killedMax), Range.of(2, 3), Range.of(1, 2), null),
                new HarmCount(Range.of(4, 6), null, null, null));
    }
}
