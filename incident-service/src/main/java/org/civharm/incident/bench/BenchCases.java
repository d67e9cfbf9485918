package org.civharm.incident.bench;

import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.DatePrecision;
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
import org.civharm.incident.api.AcknowledgeAllegationCommand;
import org.civharm.incident.api.AttachEvidenceCommand;
import org.civharm.incident.api.FileAllegationCommand;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;

/**
 * Benchmark only: the commands of one benchmark case, in one place for the gateway load and the register seed. The
 * same Raqqa filing, evidence item and acknowledgement as the HTTP benchmark sends.
 */
final class BenchCases {

    private BenchCases() {
    }

    static FileAllegationCommand file(String caseId, String actor, Instant occurredAt) {
        HarmCount killed = new HarmCount(Range.of(8, 12), Range.of(2, 3), Range.of(1, 2), null);
        return new FileAllegationCommand(caseId,
                new Source("Airwars", SourceType.NGO, "web", "CS1234"),
                "Civilians killed in strike on al-Hurriya neighbourhood",
                "https://airwars.org/civilian-casualties/cs1234",
                LocalDate.parse("2017-06-30"),
                new IncidentDate(LocalDate.parse("2017-06-28"), LocalDate.parse("2017-06-28"), DatePrecision.DAY, "night"),
                new Place(List.of(new PlaceName("en", "Raqqa"), new PlaceName("ar", "الرقة")),
                        List.of(new GeoPoint(35.9528, 39.0079, LocationPrecision.NEIGHBOURHOOD, "37SEV3521378042"))),
                "Raqqa 2017",
                new CasualtyFigures(killed, new HarmCount(Range.of(4, 6), null, null, null)),
                List.of(new Belligerent("US-led Coalition", Involvement.SUSPECTED)),
                "precision-guided munition",
                "Daesh fighting positions",
                "Local sources reported a family killed when their house was struck at night.",
                List.of("CS1234"),
                actor,
                occurredAt);
    }

    /** The {@code n}th evidence item of a case (from 1): its own location and SHA-256, so none is refused as a repeat. */
    static AttachEvidenceCommand evidence(String caseId, int n, String actor, Instant occurredAt) {
        return new AttachEvidenceCommand(caseId, EvidenceKind.URL,
                "https://example.org/bench/" + caseId + "/" + n, sha256(caseId + "/" + n),
                "Photograph of the destroyed house, posted by a local journalist",
                Instant.parse("2017-06-29T08:00:00Z"), "Raqqa Is Being Slaughtered Silently", actor, occurredAt);
    }

    static AcknowledgeAllegationCommand acknowledge(String caseId, String actor, Instant occurredAt) {
        return new AcknowledgeAllegationCommand(caseId, "US-led Coalition", Range.of(8, 8), null,
                new Statement("CJTF-OIR Monthly Civilian Casualty Report, 26 July 2018",
                        "https://www.inherentresolve.mil/report-2018-07", LocalDate.parse("2018-07-26")),
                "benchmark", actor, occurredAt);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
