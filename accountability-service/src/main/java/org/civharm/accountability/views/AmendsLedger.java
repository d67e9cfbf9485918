package org.civharm.accountability.views;

import org.civharm.accountability.api.AmendsStatus;
import org.civharm.contract.accountability.AmendsType;
import org.civharm.contract.accountability.DeclinedBy;
import org.civharm.contract.accountability.Money;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The amends ledger: one row per amends offer, with what became of it, and exact totals (BigDecimal, one currency at
 * a time, never summed across currencies) per currency, per operation and per member state. Read from the record
 * view and the local incident copy; the totals cover every matching row, the rows are paged.
 * <p>
 * Per member state means per state that made the offer ({@code offeredBy}); per operation uses the incident copy,
 * {@value #UNKNOWN_OPERATION} when the case has no operation (or is not known yet).
 */
@Component
public class AmendsLedger {

    static final String UNKNOWN_OPERATION = "(none)";

    private final AccountabilityRecordRepository records;
    private final IncidentCaseRepository incidents;

    public AmendsLedger(AccountabilityRecordRepository records, IncidentCaseRepository incidents) {
        this.records = records;
        this.incidents = incidents;
    }

    /**
     * @param caseId      only this case; null for all
     * @param memberState only offers made by this member state (case-insensitive); null for all
     * @param operation   only cases whose operation contains this text (case-insensitive); null for all
     * @param from        only cases whose incident date range ends on or after this day; null for no bound
     * @param to          only cases whose incident date range starts on or before this day; null for no bound
     * @param currency    only offers or payments in this currency; null for all
     * @param status      only offers in this state; null for all
     */
    public record Query(String caseId, String memberState, String operation, LocalDate from, LocalDate to,
                        String currency, AmendsStatus status, int page, int size) {
    }

    /** One amends offer. Amounts are exact decimals; {@code offer} and {@code paid} are null for amends in kind. */
    public record Row(String caseId, String amendsId, AmendsType type, String offeredBy, AmendsStatus status,
                      Money offer, Money paid, LocalDate paidOn, String recipientFamilyReference, Instant offeredAt,
                      Instant settledAt, DeclinedBy declinedBy, String declineReason, String operation,
                      List<String> attributedMemberStates) {
    }

    /**
     * Sums in one currency.
     *
     * @param offered     all offers with an amount, whatever became of them
     * @param paid        all payments
     * @param outstanding offers neither paid nor declined
     * @param declined    offers declined or refused
     */
    public record Sums(String currency, BigDecimal offered, BigDecimal paid, BigDecimal outstanding,
                       BigDecimal declined, int offers, int payments) {
    }

    /** Sums of one group (an operation, a member state) in one currency. */
    public record GroupSums(String group, String currency, BigDecimal offered, BigDecimal paid,
                            BigDecimal outstanding, BigDecimal declined, int offers, int payments) {
    }

    /** Totals over every row matching the query; {@code inKind} counts offers without an amount. */
    public record Totals(List<Sums> byCurrency, List<GroupSums> byOperation, List<GroupSums> byMemberState,
                         int inKind) {
    }

    public record Result(List<Row> rows, int page, int size, long total, Totals totals) {
    }

    public Result query(Query q) {
        Set<String> caseIds = null;
        if (q.operation() != null || q.from() != null || q.to() != null) {
            caseIds = incidents.findIds(q.operation(), q.from(), q.to());
        }
        if (q.caseId() != null) {
            caseIds = caseIds == null ? Set.of(q.caseId()) : caseIds.contains(q.caseId()) ? Set.of(q.caseId()) : Set.of();
        }
        List<AccountabilityRecordView> withAmends = caseIds != null && caseIds.isEmpty() ? List.of()
                : records.findWithAmends(caseIds);
        Map<String, IncidentCase> cases = incidents.findAll(withAmends.stream().map(v -> v.caseId).toList());

        List<Row> rows = new ArrayList<>();
        for (AccountabilityRecordView v : withAmends) {
            IncidentCase c = cases.get(v.caseId);
            String operation = c == null || c.operation == null ? null : c.operation;
            for (AccountabilityRecordView.Amends a : v.amends) {
                Row row = new Row(v.caseId, a.amendsId, a.type, a.offeredBy, a.status, money(a.offer), money(a.paid),
                        a.paidOn, a.recipientFamilyReference, a.offeredAt, a.settledAt, a.declinedBy, a.declineReason,
                        operation, List.copyOf(v.memberStates));
                if (matches(row, q)) {
                    rows.add(row);
                }
            }
        }
        rows.sort(Comparator.comparing(Row::caseId).thenComparing(r -> number(r.amendsId())));
        int fromIndex = (int) Math.min((long) q.page() * q.size(), rows.size());
        int toIndex = Math.min(fromIndex + q.size(), rows.size());
        return new Result(List.copyOf(rows.subList(fromIndex, toIndex)), q.page(), q.size(), rows.size(), totals(rows));
    }

    private static boolean matches(Row row, Query q) {
        if (q.status() != null && row.status() != q.status()) {
            return false;
        }
        if (q.memberState() != null && (row.offeredBy() == null || !row.offeredBy().equalsIgnoreCase(q.memberState()))) {
            return false;
        }
        if (q.currency() != null) {
            boolean offerIn = row.offer() != null && q.currency().equalsIgnoreCase(row.offer().currency());
            boolean paidIn = row.paid() != null && q.currency().equalsIgnoreCase(row.paid().currency());
            return offerIn || paidIn;
        }
        return true;
    }

    private static Totals totals(List<Row> rows) {
        int inKind = (int) rows.stream().filter(r -> r.offer() == null).count();
        List<Sums> byCurrency = group(rows, r -> "").values().stream()
                .flatMap(m -> m.values().stream())
                .map(a -> new Sums(a.currency, a.offered, a.paid, a.outstanding, a.declined, a.offers, a.payments))
                .toList();
        return new Totals(byCurrency, groupSums(rows, r -> r.operation() == null ? UNKNOWN_OPERATION : r.operation()),
                groupSums(rows, r -> r.offeredBy() == null ? "" : r.offeredBy()), inKind);
    }

    private static List<GroupSums> groupSums(List<Row> rows, Function<Row, String> key) {
        List<GroupSums> out = new ArrayList<>();
        group(rows, key).forEach((group, byCurrency) -> byCurrency.values().forEach(a ->
                out.add(new GroupSums(group, a.currency, a.offered, a.paid, a.outstanding, a.declined, a.offers,
                        a.payments))));
        return out;
    }

    /** group -> currency -> running sums, both sorted by name. */
    private static Map<String, Map<String, Accumulator>> group(List<Row> rows, Function<Row, String> key) {
        Map<String, Map<String, Accumulator>> groups = new TreeMap<>();
        for (Row r : rows) {
            Map<String, Accumulator> byCurrency = groups.computeIfAbsent(key.apply(r), k -> new TreeMap<>());
            if (r.offer() != null) {
                Accumulator a = byCurrency.computeIfAbsent(r.offer().currency(), Accumulator::new);
                a.offered = a.offered.add(r.offer().amount());
                a.offers++;
                if (r.status() == AmendsStatus.OFFERED) {
                    a.outstanding = a.outstanding.add(r.offer().amount());
                } else if (r.status() == AmendsStatus.DECLINED) {
                    a.declined = a.declined.add(r.offer().amount());
                }
            }
            if (r.paid() != null) {
                Accumulator a = byCurrency.computeIfAbsent(r.paid().currency(), Accumulator::new);
                a.paid = a.paid.add(r.paid().amount());
                a.payments++;
            }
        }
        groups.values().removeIf(Map::isEmpty);
        return groups;
    }

    private static Money money(AccountabilityRecordView.Amount amount) {
        return amount == null ? null : new Money(amount.decimal(), amount.currency());
    }

    private static int number(String id) {
        try {
            return Integer.parseInt(id.substring(id.indexOf('-') + 1));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static final class Accumulator {
        final String currency;
        BigDecimal offered = BigDecimal.ZERO;
        BigDecimal paid = BigDecimal.ZERO;
        BigDecimal outstanding = BigDecimal.ZERO;
        BigDecimal declined = BigDecimal.ZERO;
        int offers;
        int payments;

        Accumulator(String currency) {
            this.currency = currency;
        }
    }
}
