package org.civharm.accountability.reports;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.history.CaseState;
import org.civharm.accountability.views.IncidentCase;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gap between what was documented and what was acknowledged: civilian deaths (and injuries) as min–max ranges,
 * by operation, place and month of the incident.
 * <p>
 * Definitions:
 * <ul>
 *   <li><b>documented</b>: the figures on record for each case (as filed, or as last revised), summed range by range;</li>
 *   <li><b>acknowledged</b>: what the belligerent conceded, for cases assessed credible;</li>
 *   <li><b>unacknowledged</b>: the range consistent with both — documented.min − acknowledged.max to documented.max −
 *       acknowledged.min, never below zero;</li>
 *   <li>cases found to be <b>duplicates</b> are left out of the sums (their incident is counted under the case they
 *       duplicate) and counted apart;</li>
 *   <li><b>place</b>: the English place name, else the first one given; <b>month</b>: the month of the first day of
 *       the incident's date range; {@value #NONE} when unknown.</li>
 * </ul>
 * Rows are per (operation, place, month), then a subtotal per operation (place and month {@value #ALL}) and a grand
 * total (everything {@value #ALL}).
 */
public final class GapReport {

    public static final String ALL = "(all)";
    public static final String NONE = "(none)";

    private GapReport() {
    }

    /**
     * One row.
     *
     * @param cases              cases in the row, duplicates excluded
     * @param acknowledgedCases  of which assessed credible
     * @param duplicatesExcluded duplicates left out of the sums
     */
    public record Row(String operation, String place, String month, int cases, int acknowledgedCases,
                      int duplicatesExcluded, Span documentedKilled, Span acknowledgedKilled,
                      Span unacknowledgedKilled, Span documentedInjured, Span acknowledgedInjured,
                      Span unacknowledgedInjured) {
    }

    public record Result(List<Row> rows, List<Row> byOperation, Row total) {
    }

    public static Result compute(List<CaseState> cases) {
        Map<List<String>, Sums> groups = new TreeMap<>(GapReport::compareKeys);
        Map<String, Sums> operations = new TreeMap<>();
        Sums total = new Sums();
        for (CaseState s : cases) {
            if (s.incident == null) {
                continue;
            }
            IncidentCase c = s.incident;
            String operation = c.operation == null || c.operation.isBlank() ? NONE : c.operation;
            String place = c.placeName() == null ? NONE : c.placeName();
            String month = c.incidentDate == null || c.incidentDate.from() == null ? NONE
                    : YearMonth.from(c.incidentDate.from()).toString();
            for (Sums sums : List.of(groups.computeIfAbsent(List.of(operation, place, month), k -> new Sums()),
                    operations.computeIfAbsent(operation, k -> new Sums()), total)) {
                sums.add(c);
            }
        }
        List<Row> rows = new ArrayList<>();
        groups.forEach((key, sums) -> rows.add(sums.row(key.get(0), key.get(1), key.get(2))));
        List<Row> byOperation = new ArrayList<>();
        operations.forEach((operation, sums) -> byOperation.add(sums.row(operation, ALL, ALL)));
        return new Result(rows, byOperation, total.row(ALL, ALL, ALL));
    }

    static Table table(Result result) {
        List<List<Object>> rows = new ArrayList<>();
        List<Row> all = new ArrayList<>(result.rows());
        all.addAll(result.byOperation());
        all.add(result.total());
        for (Row r : all) {
            rows.add(List.of(r.operation(), r.place(), r.month(), r.cases(), r.acknowledgedCases(),
                    r.duplicatesExcluded(), r.documentedKilled().min(), r.documentedKilled().max(),
                    r.acknowledgedKilled().min(), r.acknowledgedKilled().max(), r.unacknowledgedKilled().min(),
                    r.unacknowledgedKilled().max(), r.documentedInjured().min(), r.documentedInjured().max(),
                    r.acknowledgedInjured().min(), r.acknowledgedInjured().max(), r.unacknowledgedInjured().min(),
                    r.unacknowledgedInjured().max()));
        }
        return new Table(List.of("operation", "place", "month", "cases", "acknowledgedCases", "duplicatesExcluded",
                "documentedKilledMin", "documentedKilledMax", "acknowledgedKilledMin", "acknowledgedKilledMax",
                "unacknowledgedKilledMin", "unacknowledgedKilledMax", "documentedInjuredMin", "documentedInjuredMax",
                "acknowledgedInjuredMin", "acknowledgedInjuredMax", "unacknowledgedInjuredMin",
                "unacknowledgedInjuredMax"), rows);
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static final class Sums {
        int cases;
        int acknowledged;
        int duplicates;
        Span documentedKilled = Span.ZERO;
        Span acknowledgedKilled = Span.ZERO;
        Span documentedInjured = Span.ZERO;
        Span acknowledgedInjured = Span.ZERO;

        void add(IncidentCase c) {
            if (c.status == IncidentStatus.DUPLICATE) {
                duplicates++;
                return;
            }
            cases++;
            if (c.documented != null) {
                documentedKilled = documentedKilled.plus(Span.total(c.documented.killed()));
                documentedInjured = documentedInjured.plus(Span.total(c.documented.injured()));
            }
            if (c.status == IncidentStatus.CREDIBLE) {
                acknowledged++;
                acknowledgedKilled = acknowledgedKilled.plus(Span.of(c.concededKilled));
                acknowledgedInjured = acknowledgedInjured.plus(Span.of(c.concededInjured));
            }
        }

        Row row(String operation, String place, String month) {
            return new Row(operation, place, month, cases, acknowledged, duplicates, documentedKilled,
                    acknowledgedKilled, documentedKilled.minus(acknowledgedKilled), documentedInjured,
                    acknowledgedInjured, documentedInjured.minus(acknowledgedInjured));
        }
    }
}
