package org.civharm.accountability.reports;

import org.civharm.accountability.api.AmendsStatus;
import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.history.CaseState;
import org.civharm.accountability.views.AccountabilityRecordView;
import org.civharm.accountability.views.IncidentCase;
import org.civharm.contract.accountability.IhlViolationFinding;
import org.civharm.contract.incident.DatePrecision;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The annual report in the shape of NDAA FY2018 §1057 (the US Department of Defense's annual report on civilian
 * casualties in connection with US military operations): each incident of the year with its date, location,
 * operation, civilians and enemy killed and injured (separately), the investigation, and the amends (ex gratia
 * payments) paid.
 * <p>
 * Definitions:
 * <ul>
 *   <li>incidents of the year: cases whose incident date range starts in it (UTC calendar year);</li>
 *   <li>civilians killed / injured: documented (on record now, as filed or revised) and acknowledged (conceded in a
 *       credible assessment) as min–max ranges, never mixed;</li>
 *   <li>enemy killed / injured: <b>not recorded</b> — civharm tracks civilian harm only; the fields are present and
 *       marked {@value #NOT_RECORDED} so the shape is complete and nothing is implied;</li>
 *   <li>investigation: {@code NO_RECORD} (no accountability record), {@code NOT_OPENED}, {@code OPEN} (one is open),
 *       {@code CONCLUDED} (with the IHL finding and whether the findings were published, of the latest concluded);</li>
 *   <li>amends paid: exact sums of payments per currency (never summed across currencies), and deliveries in kind.</li>
 * </ul>
 * Nothing here is free text or personal data: no descriptions, reasons, statements, family references or actors.
 */
public final class AnnualReport {

    public static final String NOT_RECORDED = "NOT_RECORDED";

    private AnnualReport() {
    }

    public record Incident(String caseId, LocalDate dateFrom, LocalDate dateTo, DatePrecision datePrecision,
                           String place, String operation, IncidentStatus assessment, String assessedBy,
                           Harm civiliansKilled, Harm civiliansInjured, Enemy enemy, Investigation investigation,
                           List<Paid> amendsPaid, int amendsInKindDelivered) {
    }

    /** Civilians harmed in one way: documented and acknowledged, separately. */
    public record Harm(Span documented, Span acknowledged) {
    }

    /** Enemy casualties: not in civharm's data. */
    public record Enemy(String killed, String injured) {
        static final Enemy UNRECORDED = new Enemy(NOT_RECORDED, NOT_RECORDED);
    }

    public record Investigation(String status, IhlViolationFinding ihlViolation, Boolean findingsPublished) {
    }

    public record Paid(String currency, BigDecimal amount, int payments) {
    }

    public record Totals(int incidents, int acknowledged, Span civiliansKilledDocumented,
                         Span civiliansKilledAcknowledged, Span civiliansInjuredDocumented,
                         Span civiliansInjuredAcknowledged, Enemy enemy, List<Paid> amendsPaid) {
    }

    public record Result(int year, List<Incident> incidents, Totals totals) {
    }

    public static Result compute(List<CaseState> cases, int year) {
        List<Incident> incidents = new ArrayList<>();
        for (CaseState s : cases) {
            IncidentCase c = s.incident;
            if (c == null || c.incidentDate == null || c.incidentDate.from() == null
                    || c.incidentDate.from().getYear() != year) {
                continue;
            }
            boolean credible = c.status == IncidentStatus.CREDIBLE;
            Harm killed = new Harm(c.documented == null ? Span.ZERO : Span.total(c.documented.killed()),
                    credible ? Span.of(c.concededKilled) : Span.ZERO);
            Harm injured = new Harm(c.documented == null ? Span.ZERO : Span.total(c.documented.injured()),
                    credible ? Span.of(c.concededInjured) : Span.ZERO);
            incidents.add(new Incident(s.caseId, c.incidentDate.from(), c.incidentDate.to(), c.incidentDate.precision(),
                    c.placeName(), c.operation, c.status, c.assessedBy, killed, injured, Enemy.UNRECORDED,
                    investigation(s.accountability), paid(List.of(s)), inKind(s.accountability)));
        }
        incidents.sort(Comparator.comparing(Incident::dateFrom).thenComparing(Incident::caseId));
        Span killedDocumented = Span.ZERO;
        Span killedAcknowledged = Span.ZERO;
        Span injuredDocumented = Span.ZERO;
        Span injuredAcknowledged = Span.ZERO;
        int acknowledged = 0;
        for (Incident i : incidents) {
            if (i.assessment() == IncidentStatus.DUPLICATE) {
                continue; // counted under the case it duplicates
            }
            killedDocumented = killedDocumented.plus(i.civiliansKilled().documented());
            killedAcknowledged = killedAcknowledged.plus(i.civiliansKilled().acknowledged());
            injuredDocumented = injuredDocumented.plus(i.civiliansInjured().documented());
            injuredAcknowledged = injuredAcknowledged.plus(i.civiliansInjured().acknowledged());
            if (i.assessment() == IncidentStatus.CREDIBLE) {
                acknowledged++;
            }
        }
        Map<String, Paid> byCurrency = new TreeMap<>();
        for (Incident i : incidents) {
            for (Paid p : i.amendsPaid()) {
                byCurrency.merge(p.currency(), p, (a, b) -> new Paid(a.currency(), a.amount().add(b.amount()),
                        a.payments() + b.payments()));
            }
        }
        return new Result(year, incidents, new Totals(incidents.size(), acknowledged, killedDocumented,
                killedAcknowledged, injuredDocumented, injuredAcknowledged, Enemy.UNRECORDED,
                List.copyOf(byCurrency.values())));
    }

    private static Investigation investigation(AccountabilityRecordView record) {
        if (record == null) {
            return new Investigation("NO_RECORD", null, null);
        }
        if (record.investigations.isEmpty()) {
            return new Investigation("NOT_OPENED", null, null);
        }
        if (record.investigations.stream().anyMatch(i -> i.concludedAt == null)) {
            return new Investigation("OPEN", null, null);
        }
        AccountabilityRecordView.Investigation last = record.investigations.get(record.investigations.size() - 1);
        return new Investigation("CONCLUDED", last.ihlViolation, last.published);
    }

    private static List<Paid> paid(List<CaseState> cases) {
        Map<String, Paid> byCurrency = new TreeMap<>();
        for (CaseState s : cases) {
            if (s.accountability == null) {
                continue;
            }
            for (AccountabilityRecordView.Amends a : s.accountability.amends) {
                if (a.status == AmendsStatus.PAID && a.paid != null) {
                    byCurrency.merge(a.paid.currency(), new Paid(a.paid.currency(), a.paid.decimal(), 1),
                            (x, y) -> new Paid(x.currency(), x.amount().add(y.amount()), x.payments() + y.payments()));
                }
            }
        }
        return List.copyOf(byCurrency.values());
    }

    private static int inKind(AccountabilityRecordView record) {
        return record == null ? 0 : (int) record.amends.stream()
                .filter(a -> a.status == AmendsStatus.PAID && a.paid == null).count();
    }

    static Table table(Result result) {
        List<List<Object>> rows = new ArrayList<>();
        for (Incident i : result.incidents()) {
            rows.add(java.util.Arrays.asList(i.caseId(), i.dateFrom(), i.dateTo(), i.datePrecision(), i.place(),
                    i.operation(), i.assessment(), i.assessedBy(),
                    i.civiliansKilled().documented().min(), i.civiliansKilled().documented().max(),
                    i.civiliansKilled().acknowledged().min(), i.civiliansKilled().acknowledged().max(),
                    i.civiliansInjured().documented().min(), i.civiliansInjured().documented().max(),
                    i.civiliansInjured().acknowledged().min(), i.civiliansInjured().acknowledged().max(),
                    i.enemy().killed(), i.enemy().injured(), i.investigation().status(),
                    i.investigation().ihlViolation(), i.investigation().findingsPublished(),
                    i.amendsPaid().stream().map(p -> p.currency() + " " + p.amount().toPlainString())
                            .collect(Collectors.joining("; ")),
                    i.amendsInKindDelivered()));
        }
        return new Table(List.of("caseId", "dateFrom", "dateTo", "datePrecision", "place", "operation", "assessment",
                "assessedBy", "civiliansKilledDocumentedMin", "civiliansKilledDocumentedMax",
                "civiliansKilledAcknowledgedMin", "civiliansKilledAcknowledgedMax", "civiliansInjuredDocumentedMin",
                "civiliansInjuredDocumentedMax", "civiliansInjuredAcknowledgedMin", "civiliansInjuredAcknowledgedMax",
                "enemyKilled", "enemyInjured", "investigation", "ihlViolation", "findingsPublished", "amendsPaid",
                "amendsInKindDelivered"), rows);
    }
}
