package org.civharm.accountability.reports;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.Stage;
import org.civharm.accountability.history.CaseState;
import org.civharm.accountability.views.IncidentCase;
import org.civharm.contract.incident.IncidentDate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The register as it stood on record at an instant: every case with its status and figures, paged, with totals over
 * every matching case (documented vs acknowledged deaths; duplicates left out of the sums, as in the gap report).
 */
public final class RegisterView {

    private RegisterView() {
    }

    public record Item(String caseId, IncidentStatus status, Stage stage, String operation, String place,
                       IncidentDate incidentDate, Span documentedKilled, Span acknowledgedKilled, String assessedBy,
                       Instant lastRecordedAt) {
    }

    public record Totals(int cases, Map<IncidentStatus, Integer> byStatus, Span documentedKilled,
                         Span acknowledgedKilled, Span unacknowledgedKilled) {
    }

    public record Page(Instant asOf, List<Item> items, int page, int size, long total, Totals totals) {
    }

    public static Page compute(List<CaseState> cases, IncidentStatus status, Stage stage, Instant asOf, int page,
                               int size) {
        List<Item> all = new ArrayList<>();
        Map<IncidentStatus, Integer> byStatus = new TreeMap<>();
        Span documented = Span.ZERO;
        Span acknowledged = Span.ZERO;
        for (CaseState s : cases) {
            IncidentCase c = s.incident;
            if (status != null && c.status != status || stage != null && s.stage() != stage) {
                continue;
            }
            Span killed = c.documented == null ? Span.ZERO : Span.total(c.documented.killed());
            Span conceded = c.status == IncidentStatus.CREDIBLE ? Span.of(c.concededKilled) : Span.ZERO;
            all.add(new Item(s.caseId, c.status, s.stage(), c.operation, c.placeName(), c.incidentDate, killed,
                    conceded, c.assessedBy, s.lastRecordedAt));
            byStatus.merge(c.status, 1, Integer::sum);
            if (c.status != IncidentStatus.DUPLICATE) {
                documented = documented.plus(killed);
                acknowledged = acknowledged.plus(conceded);
            }
        }
        all.sort(Comparator.comparing(Item::caseId));
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new Page(asOf, List.copyOf(all.subList(from, to)), page, size, all.size(),
                new Totals(all.size(), byStatus, documented, acknowledged, documented.minus(acknowledged)));
    }
}
