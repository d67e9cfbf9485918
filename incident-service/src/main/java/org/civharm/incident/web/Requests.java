package org.civharm.incident.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.civharm.contract.incident.AgeGroup;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.HarmSuffered;
import org.civharm.contract.incident.Sex;
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

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Request bodies of the REST API. Bean Validation checks each field; {@code check(...)} methods add the rules that
 * span fields (min ≤ max, end ≥ start, splits within totals), naming the offending field by its JSON path.
 */
public final class Requests {

    /** Case ids are chosen by the filer (e.g. a source's code) or generated; kept URL- and log-safe. */
    public static final String CASE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{2,63}";
    static final String URL_PATTERN = "(?i)https?://[^\\s]{1,2000}";
    static final String SHA256_PATTERN = "[0-9a-fA-F]{64}";
    static final String LANGUAGE_PATTERN = "[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}";
    static final String MGRS_PATTERN = "[0-9]{1,2}[C-HJ-NP-Xc-hj-np-x][A-HJ-NP-Za-hj-np-z]{2}([0-9]{2}){0,5}";
    static final int MAX_COUNT = 1_000_000;

    private Requests() {
    }

    public record RangeBody(@NotNull @Min(0) @Max(MAX_COUNT) Integer min, @NotNull @Min(0) @Max(MAX_COUNT) Integer max) {
        void check(String path, Problems problems) {
            if (min != null && max != null && min > max) {
                problems.add(path + ".min", "must not exceed max (" + min + " > " + max + ")");
            }
        }

        Range toRange() {
            return new Range(min, max);
        }
    }

    public record HarmCountBody(@NotNull @Valid RangeBody total, @Valid RangeBody children, @Valid RangeBody women,
                                @Valid RangeBody men) {
        void check(String path, Problems problems) {
            total.check(path + ".total", problems);
            long splitMin = 0;
            for (var split : new Object[][]{{"children", children}, {"women", women}, {"men", men}}) {
                RangeBody r = (RangeBody) split[1];
                if (r != null) {
                    r.check(path + "." + split[0], problems);
                    if (r.max != null && total.max != null && r.max > total.max) {
                        problems.add(path + "." + split[0] + ".max", "must not exceed total.max (" + total.max + ")");
                    }
                    splitMin += r.min == null ? 0 : r.min;
                }
            }
            if (total.max != null && splitMin > total.max) {
                problems.add(path + ".total.max", "is below the sum of the minimum children, women and men (" + splitMin + ")");
            }
        }

        HarmCount toHarmCount() {
            return new HarmCount(total.toRange(), children == null ? null : children.toRange(),
                    women == null ? null : women.toRange(), men == null ? null : men.toRange());
        }
    }

    public record CasualtiesBody(@NotNull @Valid HarmCountBody killed, @NotNull @Valid HarmCountBody injured) {
        void check(String path, Problems problems) {
            killed.check(path + ".killed", problems);
            injured.check(path + ".injured", problems);
        }

        CasualtyFigures toFigures() {
            return new CasualtyFigures(killed.toHarmCount(), injured.toHarmCount());
        }
    }

    public record SourceBody(@NotBlank @Size(max = 200) String name, @NotNull SourceType type,
                             @Size(max = 100) String channel, @Size(max = 100) String ownReference) {
        Source toSource() {
            return new Source(name.strip(), type, channel, ownReference);
        }
    }

    public record IncidentDateBody(@NotNull @PastOrPresent LocalDate from, @PastOrPresent LocalDate to,
                                   @NotNull DatePrecision precision, @Size(max = 100) String timeOfDay) {
        void check(String path, Problems problems) {
            if (to != null && from != null && to.isBefore(from)) {
                problems.add(path + ".to", "must not be before from (" + from + ")");
            }
            if (precision == DatePrecision.DAY && to != null && !to.equals(from)) {
                problems.add(path + ".precision", "DAY needs to equal to from, or no to; use RANGE for a date range");
            }
        }

        IncidentDate toIncidentDate() {
            return new IncidentDate(from, to == null ? from : to, precision, timeOfDay);
        }
    }

    public record PlaceNameBody(@NotBlank @Pattern(regexp = LANGUAGE_PATTERN, message = "must be a language tag such as en or ar") String language,
                                @NotBlank @Size(max = 200) String name) {
    }

    public record GeoPointBody(@NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
                               @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude,
                               @NotNull LocationPrecision precision,
                               @Pattern(regexp = MGRS_PATTERN, message = "must be an MGRS grid reference such as 37SEA1234567890") String mgrs) {
    }

    public record PlaceBody(@NotEmpty @Size(max = 10) List<@NotNull @Valid PlaceNameBody> names,
                            @Size(max = 50) List<@NotNull @Valid GeoPointBody> points) {
        Place toPlace() {
            return new Place(names.stream().map(n -> new PlaceName(n.language(), n.name().strip())).toList(),
                    points == null ? List.of() : points.stream()
                            .map(p -> new GeoPoint(p.latitude(), p.longitude(), p.precision(),
                                    p.mgrs() == null ? null : p.mgrs().toUpperCase()))
                            .toList());
        }
    }

    public record BelligerentBody(@NotBlank @Size(max = 200) String name, @NotNull Involvement involvement) {
    }

    public record StatementBody(@NotBlank @Size(max = 500) String title,
                               @Pattern(regexp = URL_PATTERN, message = "must be an http(s) URL") String url,
                               @NotNull @PastOrPresent LocalDate publishedOn) {
        Statement toStatement() {
            return new Statement(title.strip(), url, publishedOn);
        }
    }

    public record FileAllegationRequest(
            @Pattern(regexp = CASE_ID_PATTERN, message = "must be 3-64 letters, digits, '.', '_' or '-'") String caseId,
            @NotNull @Valid SourceBody source,
            @Size(max = 500) String reportTitle,
            @Pattern(regexp = URL_PATTERN, message = "must be an http(s) URL") String reportUrl,
            @NotNull @PastOrPresent LocalDate filedOn,
            @NotNull @Valid IncidentDateBody incidentDate,
            @NotNull @Valid PlaceBody place,
            @Size(max = 200) String operation,
            @NotNull @Valid CasualtiesBody casualties,
            @NotEmpty @Size(max = 20) List<@NotNull @Valid BelligerentBody> belligerents,
            @Size(max = 200) String weapon,
            @Size(max = 500) String claimedTarget,
            @NotBlank @Size(max = 20_000) String description,
            @Size(max = 50) List<@NotBlank @Size(max = 200) String> externalReferences,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            incidentDate.check("incidentDate", problems);
            casualties.check("casualties", problems);
            if (incidentDate.from() != null && filedOn != null && incidentDate.from().isAfter(filedOn)) {
                problems.add("incidentDate.from", "must not be after filedOn (" + filedOn + ")");
            }
            for (int i = 0; i < belligerents.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (belligerents.get(i).name().strip().equalsIgnoreCase(belligerents.get(j).name().strip())) {
                        problems.add("belligerents[" + i + "].name", "names the same belligerent as belligerents[" + j + "]");
                    }
                }
            }
        }

        List<Belligerent> toBelligerents() {
            return belligerents.stream().map(b -> new Belligerent(b.name().strip(), b.involvement())).toList();
        }
    }

    public record AttachEvidenceRequest(
            @NotNull EvidenceKind kind,
            @NotBlank @Size(max = 2000) String location,
            @NotBlank @Pattern(regexp = SHA256_PATTERN, message = "must be 64 hexadecimal characters (SHA-256)") String sha256,
            @Size(max = 2000) String description,
            @NotNull @PastOrPresent Instant capturedAt,
            @NotBlank @Size(max = 200) String capturedBy,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            if (kind == EvidenceKind.URL && location != null && !location.matches(URL_PATTERN)) {
                problems.add("location", "must be an http(s) URL for evidence of kind URL");
            }
        }
    }

    public record ReviseCasualtiesRequest(
            @NotNull @Valid CasualtiesBody casualties,
            @NotBlank @Size(max = 2000) String reason,
            @PastOrPresent Instant occurredAt) {
    }

    /** The belligerent's assessment: CREDIBLE (acknowledged) or NON_CREDIBLE (dismissed). */
    public enum AssessmentOutcome { CREDIBLE, NON_CREDIBLE }

    public record AssessmentRequest(
            @NotNull AssessmentOutcome outcome,
            @NotBlank @Size(max = 200) String assessedBy,
            @Valid RangeBody concededKilled,
            @Valid RangeBody concededInjured,
            @Valid StatementBody statement,
            @Size(max = 2000) String statedReason,
            @Size(max = 2000) String comment,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            if (outcome == AssessmentOutcome.CREDIBLE) {
                if (concededKilled == null) {
                    problems.add("concededKilled", "is required when outcome is CREDIBLE");
                } else {
                    concededKilled.check("concededKilled", problems);
                }
                if (concededInjured != null) {
                    concededInjured.check("concededInjured", problems);
                }
                if (statement == null) {
                    problems.add("statement", "is required when outcome is CREDIBLE: the statement that made the acknowledgement");
                }
                if (statedReason != null) {
                    problems.add("statedReason", "applies to NON_CREDIBLE only; use comment");
                }
            } else if (outcome == AssessmentOutcome.NON_CREDIBLE) {
                if (statedReason == null || statedReason.isBlank()) {
                    problems.add("statedReason", "is required when outcome is NON_CREDIBLE: the reason the belligerent gave");
                }
                if (concededKilled != null || concededInjured != null) {
                    problems.add(concededKilled != null ? "concededKilled" : "concededInjured", "applies to CREDIBLE only");
                }
            }
        }
    }

    /** A named victim: the name and contact are personal data and are sealed before anything stores them. */
    public record RecordVictimRequest(
            @NotNull HarmSuffered harm,
            AgeGroup ageGroup,
            Sex sex,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 200) String contact,
            @Size(max = 2000) String details,
            @PastOrPresent Instant occurredAt) {
    }

    /** A witness statement: {@code summary} is shareable; name, contact and the personal part are sealed. */
    public record RecordWitnessStatementRequest(
            @NotBlank @Size(max = 200) String name,
            @Size(max = 200) String contact,
            @Size(max = 10_000) String personalPart,
            @NotBlank @Size(max = 10_000) String summary,
            @NotNull @PastOrPresent LocalDate takenOn,
            @NotBlank @Size(max = 200) String takenBy,
            @PastOrPresent Instant occurredAt) {
    }

    public record ErasureRequest(@NotBlank @Size(max = 2000) String reason) {
    }

    public record ReopenRequest(
            @NotEmpty @Size(max = 100) List<@NotBlank @Size(max = 20) String> newEvidenceIds,
            @NotBlank @Size(max = 2000) String reason,
            @PastOrPresent Instant occurredAt) {
    }

    public record DuplicateOfRequest(
            @NotBlank @Pattern(regexp = CASE_ID_PATTERN, message = "must be a case id") String duplicateOfCaseId,
            @NotBlank @Size(max = 200) String assessedBy,
            @NotBlank @Size(max = 2000) String reason,
            @PastOrPresent Instant occurredAt) {
    }
}
