package org.civharm.accountability.web;

import org.civharm.accountability.reports.Table;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Shared by the report and export endpoints: JSON or CSV, and "as of" instants. */
final class Formats {

    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private Formats() {
    }

    /**
     * CSV when {@code format=csv}, JSON when {@code format=json}; without {@code format}, CSV when the Accept header
     * asks for text/csv (and not for JSON), else JSON.
     */
    static boolean wantsCsv(String format, String accept) {
        if (format != null) {
            if (format.equalsIgnoreCase("csv")) {
                return true;
            }
            if (format.equalsIgnoreCase("json")) {
                return false;
            }
            throw InvalidRequestException.of("format", "must be json or csv");
        }
        return accept != null && accept.toLowerCase().contains("text/csv")
                && !accept.toLowerCase().contains("application/json");
    }

    static ResponseEntity<Object> csv(Table table, String filename) {
        return ResponseEntity.ok().contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + ".csv\"")
                .body(table.csv());
    }

    static ResponseEntity<Object> json(Object body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /**
     * An "as of" parameter: an ISO-8601 instant ({@code 2018-07-01T00:00:00Z}), or a date ({@code 2018-07-01}) meaning
     * the end of that day in UTC (everything recorded on that day included). Null when absent: now.
     */
    static Instant asOf(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusNanos(1);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw InvalidRequestException.of("asOf", "must be an ISO-8601 instant such as 2018-07-01T00:00:00Z, or a date "
                    + "such as 2018-07-01 (its end, UTC)");
        }
    }

    /**
     * A "timeline" parameter: RECORDED (default) reads {@code asOf} as "on record then" (recordedAt), OCCURRED as
     * "had happened in the world by then" (occurredAt) — for registers entered long after the facts. True for OCCURRED.
     */
    static boolean byOccurrence(String timeline) {
        if (timeline == null || timeline.isBlank() || timeline.equals("RECORDED")) {
            return false;
        }
        if (timeline.equals("OCCURRED")) {
            return true;
        }
        throw InvalidRequestException.of("timeline", "must be RECORDED or OCCURRED");
    }
}
