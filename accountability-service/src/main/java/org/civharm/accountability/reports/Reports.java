package org.civharm.accountability.reports;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.Stage;
import org.civharm.accountability.history.CaseHistory;
import org.civharm.accountability.history.CaseState;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Register-wide answers, each folded from the case file (the log of both topics) as it stood at {@code asOf} — never
 * read from a view that could drift from the log. Every call reads the whole log once and folds each case with
 * {@code CaseFold}; the cost grows with the register (see the README for figures).
 */
@Component
public class Reports {

    private final CaseHistory history;

    public Reports(CaseHistory history) {
        this.history = history;
    }

    /** Every filed case matching the filter, as recorded at {@code asOf} (now with null). */
    public List<CaseState> cases(ReportFilter filter, Instant asOf) {
        return cases(filter, asOf, false);
    }

    /**
     * Every filed case matching the filter as of {@code asOf}: as recorded then, or with {@code byOccurrence} as it
     * stood in the world then (events whose occurredAt is at or before it).
     */
    public List<CaseState> cases(ReportFilter filter, Instant asOf, boolean byOccurrence) {
        List<CaseState> out = new ArrayList<>();
        history.forEachCase(asOf, byOccurrence, s -> {
            if (filter.matches(s)) {
                out.add(s);
            }
        });
        return out;
    }

    public RegisterView.Page register(ReportFilter filter, IncidentStatus status, Stage stage, Instant asOf,
                                      boolean byOccurrence, int page, int size) {
        return RegisterView.compute(cases(filter, asOf, byOccurrence), status, stage, asOf, page, size);
    }

    /** Months {@code first} to {@code last}, inclusive. */
    public List<MonthlyReport.Month> monthly(ReportFilter filter, YearMonth first, YearMonth last, Instant asOf,
                                             boolean byOccurrence) {
        List<CaseState> cases = cases(filter, asOf, byOccurrence);
        List<MonthlyReport.Month> months = new ArrayList<>();
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            months.add(MonthlyReport.compute(cases, m));
        }
        return months;
    }

    public GapReport.Result gap(ReportFilter filter, Instant asOf, boolean byOccurrence) {
        return GapReport.compute(cases(filter, asOf, byOccurrence));
    }

    public AnnualReport.Result annual(ReportFilter filter, int year, Instant asOf, boolean byOccurrence) {
        return AnnualReport.compute(cases(filter, asOf, byOccurrence), year);
    }

    public Table export(ExportTables.Kind kind, ReportFilter filter, IncidentStatus status, Instant asOf) {
        List<CaseState> cases = cases(filter, asOf);
        if (status != null) {
            cases.removeIf(s -> s.incident.status != status);
        }
        return ExportTables.table(kind, cases);
    }

    public static Table monthlyTable(List<MonthlyReport.Month> months) {
        return MonthlyReport.table(months);
    }

    public static Table gapTable(GapReport.Result result) {
        return GapReport.table(result);
    }

    public static Table annualTable(AnnualReport.Result result) {
        return AnnualReport.table(result);
    }
}
