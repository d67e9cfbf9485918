package org.civharm.accountability.reports;

import org.civharm.accountability.history.CaseState;
import org.civharm.accountability.views.AccountabilityRecordView;
import org.civharm.accountability.views.IncidentCase;
import org.civharm.contract.incident.HarmCount;
import org.civharm.contract.incident.PlaceName;
import org.civharm.contract.incident.Range;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The data exports for auditors, one row per case (per amends offer for {@code amends}), folded from the case file.
 * <ul>
 *   <li>{@code incidents}: status, operation, place, date, source, documented and conceded figures, assessment and
 *       accountability stage;</li>
 *   <li>{@code sources}: who reported each case, how, and where;</li>
 *   <li>{@code casualties}: documented civilian casualties with their splits (children, women, men; killed and
 *       injured; min–max) and what the belligerent conceded;</li>
 *   <li>{@code amends}: every offer with what became of it, exact amounts in their currency.</li>
 * </ul>
 */
public final class ExportTables {

    public enum Kind {
        INCIDENTS, SOURCES, CASUALTIES, AMENDS;

        public static Kind of(String name) {
            return Kind.valueOf(name.toUpperCase(Locale.ROOT));
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ExportTables() {
    }

    public static Table table(Kind kind, List<CaseState> cases) {
        List<CaseState> sorted = new ArrayList<>(cases);
        sorted.sort(Comparator.comparing(s -> s.caseId));
        return switch (kind) {
            case INCIDENTS -> incidents(sorted);
            case SOURCES -> sources(sorted);
            case CASUALTIES -> casualties(sorted);
            case AMENDS -> amends(sorted);
        };
    }

    private static Table incidents(List<CaseState> cases) {
        List<List<Object>> rows = new ArrayList<>();
        for (CaseState s : cases) {
            IncidentCase c = s.incident;
            HarmCount killed = c.documented == null ? null : c.documented.killed();
            HarmCount injured = c.documented == null ? null : c.documented.injured();
            rows.add(Arrays.asList(s.caseId, c.status, c.operation, c.placeName(), placeNames(c.placeNames),
                    c.incidentDate == null ? null : c.incidentDate.from(),
                    c.incidentDate == null ? null : c.incidentDate.to(),
                    c.incidentDate == null ? null : c.incidentDate.precision(),
                    c.filedOn, c.source == null ? null : c.source.name(), c.source == null ? null : c.source.type(),
                    min(killed == null ? null : killed.total()), max(killed == null ? null : killed.total()),
                    min(injured == null ? null : injured.total()), max(injured == null ? null : injured.total()),
                    c.assessedBy, min(c.concededKilled), max(c.concededKilled), min(c.concededInjured),
                    max(c.concededInjured), c.dismissalReversed, c.duplicateOf, c.reopenings, c.evidenceItems,
                    s.accountability == null ? null : s.accountability.stage, s.lastRecordedAt));
        }
        return new Table(List.of("caseId", "status", "operation", "place", "placeNames", "incidentDateFrom",
                "incidentDateTo", "datePrecision", "filedOn", "sourceName", "sourceType", "killedMin", "killedMax",
                "injuredMin", "injuredMax", "assessedBy", "concededKilledMin", "concededKilledMax",
                "concededInjuredMin", "concededInjuredMax", "dismissalReversed", "duplicateOf", "reopenings",
                "evidenceItems", "accountabilityStage", "lastRecordedAt"), rows);
    }

    private static Table sources(List<CaseState> cases) {
        List<List<Object>> rows = new ArrayList<>();
        for (CaseState s : cases) {
            IncidentCase c = s.incident;
            rows.add(Arrays.asList(s.caseId, c.source == null ? null : c.source.name(),
                    c.source == null ? null : c.source.type(), c.source == null ? null : c.source.channel(),
                    c.source == null ? null : c.source.ownReference(), c.reportTitle, c.reportUrl, c.filedOn,
                    c.operation));
        }
        return new Table(List.of("caseId", "sourceName", "sourceType", "channel", "sourceReference", "reportTitle",
                "reportUrl", "filedOn", "operation"), rows);
    }

    private static Table casualties(List<CaseState> cases) {
        List<List<Object>> rows = new ArrayList<>();
        for (CaseState s : cases) {
            IncidentCase c = s.incident;
            List<Object> row = new ArrayList<>(Arrays.asList(s.caseId, c.status, c.operation, c.placeName(),
                    c.casualtyRevisions));
            for (HarmCount h : new HarmCount[]{c.documented == null ? null : c.documented.killed(),
                    c.documented == null ? null : c.documented.injured()}) {
                for (Range r : new Range[]{h == null ? null : h.total(), h == null ? null : h.children(),
                        h == null ? null : h.women(), h == null ? null : h.men()}) {
                    row.add(min(r));
                    row.add(max(r));
                }
            }
            row.addAll(Arrays.asList(c.assessedBy, min(c.concededKilled), max(c.concededKilled),
                    min(c.concededInjured), max(c.concededInjured)));
            rows.add(row);
        }
        List<String> columns = new ArrayList<>(List.of("caseId", "status", "operation", "place", "revision"));
        for (String harm : List.of("killed", "injured")) {
            for (String who : List.of("Total", "Children", "Women", "Men")) {
                columns.add(harm + who + "Min");
                columns.add(harm + who + "Max");
            }
        }
        columns.addAll(List.of("assessedBy", "concededKilledMin", "concededKilledMax", "concededInjuredMin",
                "concededInjuredMax"));
        return new Table(columns, rows);
    }

    private static Table amends(List<CaseState> cases) {
        List<List<Object>> rows = new ArrayList<>();
        for (CaseState s : cases) {
            if (s.accountability == null) {
                continue;
            }
            for (AccountabilityRecordView.Amends a : s.accountability.amends) {
                rows.add(Arrays.asList(s.caseId, a.amendsId, a.type, a.offeredBy, a.status,
                        a.offer == null ? null : a.offer.decimal(), a.offer == null ? null : a.offer.currency(),
                        a.paid == null ? null : a.paid.decimal(), a.paid == null ? null : a.paid.currency(), a.paidOn,
                        a.declinedBy, a.offeredAt, a.settledAt, s.incident.operation,
                        String.join("; ", s.accountability.memberStates)));
            }
        }
        return new Table(List.of("caseId", "amendsId", "type", "offeredBy", "status", "offerAmount", "offerCurrency",
                "paidAmount", "paidCurrency", "paidOn", "declinedBy", "offeredAt", "settledAt", "operation",
                "attributedMemberStates"), rows);
    }

    private static String placeNames(List<PlaceName> names) {
        return names == null ? null : names.stream().map(n -> n.language() + ":" + n.name())
                .collect(Collectors.joining(" | "));
    }

    private static Integer min(Range r) {
        return r == null ? null : r.min();
    }

    private static Integer max(Range r) {
        return r == null ? null : r.max();
    }
}
