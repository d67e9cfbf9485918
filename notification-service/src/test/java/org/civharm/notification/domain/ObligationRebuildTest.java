package org.civharm.notification.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Obligation#rebuilt}: what the facts say is re-derived, what only the replaced view knows is kept. */
class ObligationRebuildTest {

    private static final Instant DUE = Instant.parse("2017-07-30T00:00:00Z");
    private static final FactRef FILED = new FactRef("e-filed", "AllegationFiled", Instant.parse("2017-06-30T00:00:00Z"));
    private static final FactRef ACK = new FactRef("e-ack", "AllegationAcknowledged", Instant.parse("2018-07-26T00:00:00Z"));
    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2025-03-01T08:00:00Z");

    private static DerivedObligation derived(ObligationOutcome outcome, Instant due, FactRef closedBy, String awaited) {
        return new DerivedObligation("C:assessment-due:e-filed", "C", PolicyKind.ASSESSMENT_DUE, null, awaited,
                FILED, due, outcome, closedBy, outcome == ObligationOutcome.CANCELLED ? "the case was closed" : null);
    }

    private static DerivedObligation open(Instant due) {
        return derived(ObligationOutcome.OPEN, due, null, "an assessment");
    }

    @Test
    void a_consistent_obligation_is_rebuilt_unchanged_whatever_its_state() {
        Obligation pending = Obligation.create(open(DUE), CREATED);
        Obligation overdue = pending.markOverdue(NOW).withAlertRaised();
        Obligation met = overdue.meet(ACK, NOW);
        assertThat(Obligation.rebuilt(open(DUE), pending, NOW)).isEqualTo(pending);
        assertThat(Obligation.rebuilt(open(DUE), overdue, NOW)).isEqualTo(overdue);
        assertThat(Obligation.rebuilt(derived(ObligationOutcome.MET, DUE, ACK, "an assessment"), met, NOW))
                .isEqualTo(met);
    }

    @Test
    void what_the_log_cannot_say_is_kept() {
        Instant later = DUE.plus(Duration.ofDays(30));
        Obligation overdue = Obligation.create(open(DUE), CREATED).markOverdue(NOW);
        assertThat(Obligation.rebuilt(open(later), overdue, NOW).dueAt()).as("a missed deadline stays missed")
                .isEqualTo(DUE);
        Obligation cancelledByPolicy = Obligation.create(open(DUE), CREATED).cancel(null, "policy was disabled", NOW);
        assertThat(Obligation.rebuilt(open(DUE), cancelledByPolicy, NOW)).isEqualTo(cancelledByPolicy);
        assertThat(Obligation.rebuilt(null, cancelledByPolicy, NOW)).isEqualTo(cancelledByPolicy);
    }

    @Test
    void what_the_facts_say_is_derived_again() {
        Obligation pending = Obligation.create(open(DUE), CREATED);
        Obligation missing = Obligation.rebuilt(open(DUE), null, NOW);
        assertThat(missing.state()).isEqualTo(ObligationState.PENDING);
        assertThat(missing.createdAt()).isEqualTo(NOW);

        Obligation reworded = Obligation.rebuilt(derived(ObligationOutcome.OPEN, DUE, null, "a better text"), pending, NOW);
        assertThat(reworded.awaited()).isEqualTo("a better text");
        assertThat(reworded.version()).isEqualTo(pending.version() + 1);
        assertThat(reworded.createdAt()).isEqualTo(CREATED);

        Obligation met = Obligation.rebuilt(derived(ObligationOutcome.MET, DUE, ACK, "an assessment"), pending, NOW);
        assertThat(met.state()).isEqualTo(ObligationState.MET);
        assertThat(met.closedBy()).isEqualTo(ACK);
        assertThat(met.closedAt()).isEqualTo(NOW);
        Instant later = DUE.plus(Duration.ofDays(30));
        assertThat(Obligation.rebuilt(open(later), pending, NOW).dueAt()).as("a pending one takes the policy's date")
                .isEqualTo(later);
    }
}
