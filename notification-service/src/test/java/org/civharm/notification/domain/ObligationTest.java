package org.civharm.notification.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObligationTest {

    private static final Instant DUE = Instant.parse("2017-07-30T00:00:00Z");
    private static final FactRef FILED = new FactRef("e-filed", "AllegationFiled", Instant.parse("2017-06-30T00:00:00Z"));
    private static final FactRef ACK = new FactRef("e-ack", "AllegationAcknowledged", Instant.parse("2018-07-26T00:00:00Z"));
    private static final Instant NOW = Instant.parse("2025-03-01T08:00:00Z");

    private static DerivedObligation derived(ObligationOutcome outcome, Instant due, FactRef closedBy) {
        return new DerivedObligation("C:assessment-due:e-filed", "C", PolicyKind.ASSESSMENT_DUE, null, "an assessment",
                FILED, due, outcome, closedBy, outcome == ObligationOutcome.CANCELLED ? "the case was closed" : null);
    }

    private static Obligation pending() {
        return Obligation.create(derived(ObligationOutcome.OPEN, DUE, null), NOW.minus(Duration.ofDays(3000)));
    }

    @Test
    void pending_turns_overdue_only_once_the_due_date_has_come() {
        Obligation o = pending();
        assertThat(o.state()).isEqualTo(ObligationState.PENDING);
        assertThat(o.isOverdueAt(DUE.minusMillis(1))).isFalse();
        assertThatThrownBy(() -> o.markOverdue(DUE.minusMillis(1))).isInstanceOf(RefusedTransitionException.class);
        Obligation overdue = o.markOverdue(DUE);
        assertThat(overdue.state()).isEqualTo(ObligationState.OVERDUE);
        assertThat(overdue.overdueAt()).isEqualTo(DUE);
        assertThat(overdue.version()).isEqualTo(o.version() + 1);
        assertThat(overdue.isOverdueAt(NOW)).as("already overdue").isFalse();
    }

    @Test
    void overdue_with_its_alert_raised_is_one_transition() {
        Obligation o = pending();
        assertThatThrownBy(() -> o.markOverdueWithAlertRaised(DUE.minusMillis(1)))
                .isInstanceOf(RefusedTransitionException.class);
        Obligation raised = o.markOverdueWithAlertRaised(DUE);
        assertThat(raised.state()).isEqualTo(ObligationState.OVERDUE);
        assertThat(raised.overdueAt()).isEqualTo(DUE);
        assertThat(raised.alertRaised()).isTrue();
        assertThat(raised.version()).as("one write").isEqualTo(o.version() + 1);
        Obligation inTwoWrites = o.markOverdue(DUE).withAlertRaised();
        assertThat(raised).usingRecursiveComparison().ignoringFields("version").isEqualTo(inTwoWrites);
    }

    @Test
    void met_and_cancelled_are_final() {
        Obligation met = pending().markOverdue(NOW).meet(ACK, NOW);
        assertThat(met.state()).isEqualTo(ObligationState.MET);
        assertThat(met.closedBy()).isEqualTo(ACK);
        assertThatThrownBy(() -> met.cancel(null, "x", NOW)).isInstanceOf(RefusedTransitionException.class);
        assertThat(met.reconcile(derived(ObligationOutcome.CANCELLED, DUE, ACK), NOW)).isEmpty();
        assertThat(met.reconcile(null, NOW)).isEmpty();
        Obligation cancelled = pending().cancel(null, "policy disabled", NOW);
        assertThatThrownBy(() -> cancelled.meet(ACK, NOW)).isInstanceOf(RefusedTransitionException.class);
    }

    @Test
    void reconciling_moves_a_pending_due_date_but_never_an_overdue_one() {
        Instant later = DUE.plus(Duration.ofDays(30));
        assertThat(pending().reconcile(derived(ObligationOutcome.OPEN, later, null), NOW))
                .hasValueSatisfying(o -> assertThat(o.dueAt()).isEqualTo(later));
        assertThat(pending().reconcile(derived(ObligationOutcome.OPEN, DUE, null), NOW)).isEmpty();
        Obligation overdue = pending().markOverdue(NOW);
        assertThat(overdue.reconcile(derived(ObligationOutcome.OPEN, later, null), NOW)).isEmpty();
    }

    @Test
    void reconciling_meets_cancels_or_cancels_for_a_disabled_policy() {
        assertThat(pending().reconcile(derived(ObligationOutcome.MET, DUE, ACK), NOW))
                .hasValueSatisfying(o -> assertThat(o.state()).isEqualTo(ObligationState.MET));
        assertThat(pending().markOverdue(NOW).reconcile(derived(ObligationOutcome.CANCELLED, DUE, ACK), NOW))
                .hasValueSatisfying(o -> {
                    assertThat(o.state()).isEqualTo(ObligationState.CANCELLED);
                    assertThat(o.reason()).isEqualTo("the case was closed");
                });
        assertThat(pending().reconcile(null, NOW)).hasValueSatisfying(o -> {
            assertThat(o.state()).isEqualTo(ObligationState.CANCELLED);
            assertThat(o.reason()).isEqualTo("policy assessment-due was disabled");
        });
    }

    @Test
    void a_derived_obligation_already_met_is_created_met() {
        Obligation o = Obligation.create(derived(ObligationOutcome.MET, DUE, ACK), NOW);
        assertThat(o.state()).isEqualTo(ObligationState.MET);
        assertThat(o.closedAt()).isEqualTo(NOW);
        assertThat(o.isOverdueAt(NOW)).isFalse();
    }
}
