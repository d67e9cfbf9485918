package org.civharm.accountability.reports;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.history.CaseState;
import org.civharm.accountability.views.IncidentCase;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The monthly report in the Coalition's own format (CJTF-OIR monthly civilian-casualty reports): for a month, the
 * allegations carried over from before it, the new ones, those reopened, the assessments completed in it (credible,
 * non-credible, duplicate) and those still open at its end.
 * <p>
 * Definitions (months in UTC; "when" is when the step happened in the world, its {@code occurredAt} — which steps
 * count is limited by what was on record at {@code asOf}):
 * <ul>
 *   <li>a case is <b>open</b> at an instant when its last status change before it is the filing or a reopening
 *       (UNDER_ASSESSMENT, REOPENED); it is <b>completed</b> when that change is an assessment (CREDIBLE,
 *       NON_CREDIBLE, DUPLICATE);</li>
 *   <li><b>carried over</b>: open at the start of the month; <b>still open</b>: open at its end;</li>
 *   <li><b>new</b>: filings in the month; <b>reopened</b>: reopenings in the month;</li>
 *   <li><b>completed</b>: assessments made in the month, by outcome. A case assessed twice in one month (dismissed,
 *       reopened, acknowledged) counts in each, so the month balances: carried over + new + reopened − completed =
 *       still open ({@code balanced} says whether it does; it can fail only if steps were recorded out of order).</li>
 * </ul>
 */
public final class MonthlyReport {

    private MonthlyReport() {
    }

    /** One month's figures, with the cases behind each. */
    public record Month(YearMonth month, int carriedOver, int newAllegations, int reopened, Completed completed,
                        int stillOpen, boolean balanced, Cases cases) {
    }

    public record Completed(int credible, int nonCredible, int duplicate, int total) {
    }

    /** The case ids behind each figure (no other detail: the report is public). */
    public record Cases(List<String> carriedOver, List<String> newAllegations, List<String> reopened,
                        List<String> credible, List<String> nonCredible, List<String> duplicate,
                        List<String> stillOpen) {
    }

    public static Month compute(List<CaseState> cases, YearMonth month) {
        Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<String> carried = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        List<String> reopened = new ArrayList<>();
        List<String> credible = new ArrayList<>();
        List<String> nonCredible = new ArrayList<>();
        List<String> duplicate = new ArrayList<>();
        List<String> open = new ArrayList<>();
        List<CaseState> sorted = new ArrayList<>(cases);
        sorted.sort(Comparator.comparing(s -> s.caseId));
        for (CaseState s : sorted) {
            if (s.incident == null) {
                continue;
            }
            if (isOpen(statusBefore(s.incident, start))) {
                carried.add(s.caseId);
            }
            if (isOpen(statusBefore(s.incident, end))) {
                open.add(s.caseId);
            }
            for (IncidentCase.Transition t : s.incident.history) {
                if (t.occurredAt() == null || t.occurredAt().isBefore(start) || !t.occurredAt().isBefore(end)) {
                    continue;
                }
                switch (t.status()) {
                    case UNDER_ASSESSMENT -> fresh.add(s.caseId);
                    case REOPENED -> reopened.add(s.caseId);
                    case CREDIBLE -> credible.add(s.caseId);
                    case NON_CREDIBLE -> nonCredible.add(s.caseId);
                    case DUPLICATE -> duplicate.add(s.caseId);
                    default -> {
                    }
                }
            }
        }
        int completed = credible.size() + nonCredible.size() + duplicate.size();
        boolean balanced = carried.size() + fresh.size() + reopened.size() - completed == open.size();
        return new Month(month, carried.size(), fresh.size(), reopened.size(),
                new Completed(credible.size(), nonCredible.size(), duplicate.size(), completed), open.size(), balanced,
                new Cases(carried, fresh, reopened, credible, nonCredible, duplicate, open));
    }

    /** The status after the last change (in stream order) that happened before {@code instant}; null before filing. */
    static IncidentStatus statusBefore(IncidentCase c, Instant instant) {
        IncidentStatus status = null;
        for (IncidentCase.Transition t : c.history) {
            if (t.occurredAt() != null && t.occurredAt().isBefore(instant)) {
                status = t.status();
            }
        }
        return status;
    }

    private static boolean isOpen(IncidentStatus status) {
        return status == IncidentStatus.UNDER_ASSESSMENT || status == IncidentStatus.REOPENED;
    }

    static Table table(List<Month> months) {
        List<List<Object>> rows = new ArrayList<>();
        for (Month m : months) {
            rows.add(List.of(m.month().toString(), m.carriedOver(), m.newAllegations(), m.reopened(),
                    m.completed().credible(), m.completed().nonCredible(), m.completed().duplicate(),
                    m.completed().total(), m.stillOpen(), m.balanced()));
        }
        return new Table(List.of("month", "carriedOver", "new", "reopened", "completedCredible",
                "completedNonCredible", "completedDuplicate", "completedTotal", "stillOpen", "balanced"), rows);
    }
}
