package org.civharm.notification.domain;

import org.civharm.notification.api.CaseFact;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * When an obligation falls due. The clock starts at the starting event's {@code occurredAt} — the date it happened in
 * the world, not when civharm recorded it — so a case filed in 2017 and never assessed is overdue as soon as it is
 * loaded. All calendar arithmetic is in UTC.
 */
public final class DueDates {

    private DueDates() {
    }

    public static Instant due(Policy policy, CaseFact start) {
        Instant from = start.occurredAt();
        return switch (policy.kind().unit()) {
            case DAYS -> from.plus(Duration.ofDays(policy.value()));
            case MONTHLY_CYCLES -> YearMonth.from(from.atZone(ZoneOffset.UTC))
                    .plusMonths(policy.value() + 1L).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            // the letter's own date; the whole of that day is allowed
            case DAYS_WHEN_NO_DUE_DATE -> start.responseDueOn() != null
                    ? start.responseDueOn().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : from.plus(Duration.ofDays(policy.value()));
        };
    }
}
