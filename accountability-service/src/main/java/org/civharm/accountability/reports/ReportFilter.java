package org.civharm.accountability.reports;

import org.civharm.accountability.history.CaseState;
import org.civharm.contract.incident.IncidentDate;

import java.time.LocalDate;
import java.util.Locale;

/**
 * Which cases a register view, report or export covers. Null parts are not applied.
 *
 * @param operation the case's operation contains this text (case-insensitive), as in {@code GET /cases}
 * @param from      the incident date range ends on or after this day
 * @param to        the incident date range starts on or before this day
 */
public record ReportFilter(String operation, LocalDate from, LocalDate to) {

    public static final ReportFilter ALL = new ReportFilter(null, null, null);

    /** Only cases whose filing is on record match; then the parts given. */
    public boolean matches(CaseState s) {
        if (s.incident == null || s.incident.filedAt == null) {
            return false;
        }
        if (operation != null && (s.incident.operation == null || !s.incident.operation.toLowerCase(Locale.ROOT)
                .contains(operation.toLowerCase(Locale.ROOT)))) {
            return false;
        }
        IncidentDate date = s.incident.incidentDate;
        if (from != null && (date == null || end(date).isBefore(from))) {
            return false;
        }
        return to == null || date != null && !date.from().isAfter(to);
    }

    private static LocalDate end(IncidentDate date) {
        return date.to() != null ? date.to() : date.from();
    }
}
