package org.civharm.accountability.reports;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.history.CaseEvent;
import org.civharm.accountability.history.CaseEvents;
import org.civharm.accountability.history.CaseFold;
import org.civharm.accountability.history.CaseState;
import org.civharm.accountability.support.AuditDataSet;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.accountability.support.AuditDataSet.MS_0317;
import static org.civharm.accountability.support.AuditDataSet.PK_0708;
import static org.civharm.accountability.support.AuditDataSet.RQ_0628;
import static org.civharm.accountability.support.AuditDataSet.RQ_0718;
import static org.civharm.accountability.support.AuditDataSet.RQ_0801;
import static org.civharm.accountability.support.AuditDataSet.RQ_0903;
import static org.civharm.accountability.support.AuditDataSet.RQ_1012;
import static org.civharm.accountability.support.AuditDataSet.RQ_DUP;

/**
 * The report definitions checked against totals computed by hand from the fixed data set ({@link AuditDataSet}),
 * folded directly (no service): the same fold and report code the endpoints run.
 */
class ReportFiguresTest {

    private static List<CaseState> cases(Instant asOf) {
        List<CaseState> out = new ArrayList<>();
        for (Map.Entry<String, List<CaseEvent>> e : AuditDataSet.caseEvents().entrySet()) {
            List<CaseEvent> onRecord = e.getValue().stream()
                    .filter(c -> asOf == null || !c.recordedAt().isAfter(asOf)).toList();
            CaseState s = CaseFold.fold(e.getKey(), CaseEvents.merge(new ArrayList<>(onRecord)));
            if (ReportFilter.ALL.matches(s)) {
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void monthly_report_in_the_coalition_format() {
        List<CaseState> now = cases(null);
        MonthlyReport.Month july2018 = MonthlyReport.compute(now, YearMonth.of(2018, 7));
        assertThat(july2018.carriedOver()).isEqualTo(5);
        assertThat(july2018.cases().carriedOver()).containsExactly(PK_0708, RQ_0628, RQ_0718, RQ_0903, RQ_1012);
        assertThat(july2018.newAllegations()).isZero();
        assertThat(july2018.reopened()).isZero();
        assertThat(july2018.completed()).isEqualTo(new MonthlyReport.Completed(4, 0, 0, 4));
        assertThat(july2018.cases().credible()).containsExactly(RQ_0628, RQ_0718, RQ_0903, RQ_1012);
        assertThat(july2018.stillOpen()).isEqualTo(1);
        assertThat(july2018.cases().stillOpen()).containsExactly(PK_0708);
        assertThat(july2018.balanced()).isTrue();

        MonthlyReport.Month june2018 = MonthlyReport.compute(now, YearMonth.of(2018, 6));
        assertThat(june2018.carriedOver()).isEqualTo(4);
        assertThat(june2018.reopened()).isEqualTo(2);
        assertThat(june2018.cases().reopened()).containsExactly(RQ_0628, RQ_1012);
        assertThat(june2018.completed()).isEqualTo(new MonthlyReport.Completed(1, 0, 0, 1));
        assertThat(june2018.stillOpen()).isEqualTo(5);

        MonthlyReport.Month july2017 = MonthlyReport.compute(now, YearMonth.of(2017, 7));
        assertThat(july2017.carriedOver()).isEqualTo(1);
        assertThat(july2017.newAllegations()).isEqualTo(3);
        assertThat(july2017.cases().newAllegations()).containsExactly(PK_0708, RQ_0718, RQ_DUP);
        assertThat(july2017.completed().total()).isZero();
        assertThat(july2017.stillOpen()).isEqualTo(4);

        MonthlyReport.Month august2017 = MonthlyReport.compute(now, YearMonth.of(2017, 8));
        assertThat(august2017.completed()).isEqualTo(new MonthlyReport.Completed(0, 0, 1, 1));
        assertThat(august2017.newAllegations()).isEqualTo(1);
        assertThat(august2017.stillOpen()).isEqualTo(4);

        MonthlyReport.Month december2017 = MonthlyReport.compute(now, YearMonth.of(2017, 12));
        assertThat(december2017.carriedOver()).isEqualTo(6);
        assertThat(december2017.completed()).isEqualTo(new MonthlyReport.Completed(0, 1, 0, 1));
        assertThat(december2017.stillOpen()).isEqualTo(5);

        // July 2018 as it stood on record on 15 July: the admissions of 26 July were not on record yet
        MonthlyReport.Month onRecordMidJuly = MonthlyReport.compute(cases(Instant.parse("2018-07-15T00:00:00Z")),
                YearMonth.of(2018, 7));
        assertThat(onRecordMidJuly.completed().total()).isZero();
        assertThat(onRecordMidJuly.stillOpen()).isEqualTo(5);
    }

    @Test
    void gap_report_by_operation_place_and_month() {
        GapReport.Result gap = GapReport.compute(cases(null));
        assertThat(gap.rows()).extracting(r -> r.operation() + " | " + r.place() + " | " + r.month()).containsExactly(
                AuditDataSet.MOSUL + " | Mosul | 2017-03",
                AuditDataSet.PAKISTAN + " | North Waziristan | 2017-07",
                AuditDataSet.RAQQA + " | Raqqa | 2017-06",
                AuditDataSet.RAQQA + " | Raqqa | 2017-07",
                AuditDataSet.RAQQA + " | Raqqa | 2017-08",
                AuditDataSet.RAQQA + " | Raqqa | 2017-10",
                AuditDataSet.RAQQA + " | Raqqa Old City | 2017-09");
        GapReport.Row july = gap.rows().get(3);
        assertThat(july.cases()).isEqualTo(1);
        assertThat(july.duplicatesExcluded()).isEqualTo(1);
        assertThat(july.documentedKilled()).isEqualTo(new Span(11, 15));
        assertThat(july.acknowledgedKilled()).isEqualTo(new Span(11, 11));
        assertThat(july.unacknowledgedKilled()).isEqualTo(new Span(0, 4));
        GapReport.Row august = gap.rows().get(4);
        assertThat(august.documentedInjured()).isEqualTo(new Span(0, 2));
        assertThat(august.acknowledgedInjured()).isEqualTo(new Span(1, 1));
        assertThat(august.unacknowledgedInjured()).isEqualTo(new Span(0, 1));

        GapReport.Row raqqa = gap.byOperation().stream().filter(r -> r.operation().equals(AuditDataSet.RAQQA))
                .findFirst().orElseThrow();
        assertThat(raqqa.cases()).isEqualTo(5);
        assertThat(raqqa.acknowledgedCases()).isEqualTo(5);
        assertThat(raqqa.documentedKilled()).isEqualTo(new Span(AuditDataSet.RAQQA_DOCUMENTED_KILLED[0],
                AuditDataSet.RAQQA_DOCUMENTED_KILLED[1]));
        assertThat(raqqa.acknowledgedKilled()).isEqualTo(new Span(77, 77));
        assertThat(raqqa.unacknowledgedKilled()).isEqualTo(new Span(9, 36));
        assertThat(raqqa.documentedInjured()).isEqualTo(new Span(22, 42));
        assertThat(raqqa.acknowledgedInjured()).isEqualTo(new Span(15, 15));

        assertThat(gap.total().cases()).isEqualTo(7);
        assertThat(gap.total().duplicatesExcluded()).isEqualTo(1);
        assertThat(gap.total().documentedKilled()).isEqualTo(new Span(195, 269));
        assertThat(gap.total().acknowledgedKilled()).isEqualTo(new Span(182, 182));
        assertThat(gap.total().unacknowledgedKilled()).isEqualTo(new Span(13, 87));
        assertThat(gap.total().documentedInjured()).isEqualTo(new Span(43, 84));

        GapReport.Row raqqaBefore = GapReport.compute(cases(AuditDataSet.BEFORE_ADMISSION)).byOperation().stream()
                .filter(r -> r.operation().equals(AuditDataSet.RAQQA)).findFirst().orElseThrow();
        assertThat(raqqaBefore.acknowledgedKilled()).isEqualTo(Span.ZERO);
        assertThat(raqqaBefore.documentedKilled()).isEqualTo(new Span(85, 113));
        GapReport.Row raqqaJuly1 = GapReport.compute(cases(AuditDataSet.BETWEEN_JUNE_AND_JULY_ADMISSIONS)).byOperation()
                .stream().filter(r -> r.operation().equals(AuditDataSet.RAQQA)).findFirst().orElseThrow();
        assertThat(raqqaJuly1.acknowledgedKilled()).isEqualTo(new Span(8, 8));
    }

    @Test
    void annual_report_in_the_ndaa_shape() {
        AnnualReport.Result annual = AnnualReport.compute(cases(null), 2017);
        assertThat(annual.incidents()).extracting(AnnualReport.Incident::caseId)
                .containsExactly(MS_0317, RQ_0628, PK_0708, RQ_0718, RQ_DUP, RQ_0801, RQ_0903, RQ_1012);
        AnnualReport.Incident raqqa = annual.incidents().get(1);
        assertThat(raqqa.civiliansKilled()).isEqualTo(new AnnualReport.Harm(new Span(9, 12), new Span(8, 8)));
        assertThat(raqqa.civiliansInjured()).isEqualTo(new AnnualReport.Harm(new Span(4, 6), Span.ZERO));
        assertThat(raqqa.enemy()).isEqualTo(new AnnualReport.Enemy("NOT_RECORDED", "NOT_RECORDED"));
        assertThat(raqqa.investigation().status()).isEqualTo("CONCLUDED");
        assertThat(raqqa.amendsPaid()).containsExactly(new AnnualReport.Paid("USD", new BigDecimal("2500.00"), 1));
        assertThat(annual.incidents().get(0).investigation().status()).isEqualTo("OPEN");
        assertThat(annual.incidents().get(2).investigation().status()).isEqualTo("NO_RECORD");
        assertThat(annual.incidents().get(2).assessment()).isEqualTo(IncidentStatus.UNDER_ASSESSMENT);
        assertThat(annual.incidents().get(3).investigation().status()).isEqualTo("NOT_OPENED");

        AnnualReport.Totals totals = annual.totals();
        assertThat(totals.incidents()).isEqualTo(8);
        assertThat(totals.acknowledged()).isEqualTo(6);
        assertThat(totals.civiliansKilledDocumented()).isEqualTo(new Span(195, 269));
        assertThat(totals.civiliansKilledAcknowledged()).isEqualTo(new Span(182, 182));
        assertThat(totals.civiliansInjuredDocumented()).isEqualTo(new Span(43, 84));
        assertThat(totals.civiliansInjuredAcknowledged()).isEqualTo(new Span(15, 15));
        assertThat(totals.amendsPaid()).containsExactly(new AnnualReport.Paid("USD", new BigDecimal("2500.00"), 1));
        assertThat(AnnualReport.compute(cases(null), 2016).incidents()).isEmpty();
    }

    @Test
    void exports_have_one_row_per_case_and_csv_is_safe_for_spreadsheets() {
        List<CaseState> now = cases(null);
        assertThat(ExportTables.table(ExportTables.Kind.INCIDENTS, now).rows()).hasSize(8);
        assertThat(ExportTables.table(ExportTables.Kind.SOURCES, now).rows()).hasSize(8);
        Table casualties = ExportTables.table(ExportTables.Kind.CASUALTIES, now);
        assertThat(casualties.objects().get(0)).containsEntry("caseId", MS_0317).containsEntry("killedTotalMin", 105)
                .containsEntry("killedTotalMax", 150).containsEntry("concededKilledMin", 105);
        Table amends = ExportTables.table(ExportTables.Kind.AMENDS, now);
        assertThat(amends.objects()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("caseId", RQ_0628).containsEntry("paidAmount", new BigDecimal("2500.00"))
                .containsEntry("paidCurrency", "USD"));
        assertThat(amends.csv()).startsWith("caseId,amendsId,type,").contains(",2500.00,USD,");

        assertThat(Table.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(Table.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(Table.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Table.cell(-5)).isEqualTo("-5");
    }
}
