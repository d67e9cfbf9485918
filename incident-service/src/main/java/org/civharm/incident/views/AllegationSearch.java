package org.civharm.incident.views;

import org.civharm.incident.api.AllegationStatus;

import java.time.LocalDate;

/**
 * Filters for the allegation list. Every text filter is a case-insensitive "contains" match on literal text.
 *
 * @param incidentFrom cases whose incident date range ends on or after this day
 * @param incidentTo   cases whose incident date range starts on or before this day
 * @param text         free text over description, titles, places, source, belligerents, references, reasons
 */
public record AllegationSearch(
        AllegationStatus status,
        String source,
        String belligerent,
        String place,
        String operation,
        LocalDate incidentFrom,
        LocalDate incidentTo,
        String text,
        int page,
        int size,
        SortField sort,
        boolean ascending) {

    /** Fields the list can be sorted by. */
    public enum SortField {
        FILED_ON("filedOn"), INCIDENT_DATE("incidentDate.from"), LAST_CHANGED("lastChangedAt"), CASE_ID("_id");

        private final String field;

        SortField(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
