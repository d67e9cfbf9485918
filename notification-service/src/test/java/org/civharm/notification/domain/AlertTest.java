package org.civharm.notification.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertTest {

    private static final Instant RAISED = Instant.parse("2025-03-01T08:00:00Z");
    private static final Duration DELAY = Duration.ofDays(7);
    private static final FactRef ACK = new FactRef("e-ack", "AllegationAcknowledged", Instant.parse("2025-04-01T00:00:00Z"));
    private static final FactRef CLOSED = new FactRef("e-closed", "AccountabilityRecordClosed", Instant.parse("2025-04-02T00:00:00Z"));

    private static Obligation overdue() {
        DerivedObligation d = new DerivedObligation("C:assessment-due:e-filed", "C", PolicyKind.ASSESSMENT_DUE, null,
                "an assessment", new FactRef("e-filed", "AllegationFiled", Instant.parse("2013-10-22T00:00:00Z")),
                Instant.parse("2013-11-21T00:00:00Z"), ObligationOutcome.OPEN, null, null);
        return Obligation.create(d, RAISED).markOverdue(RAISED);
    }

    private static Alert raised() {
        return Alert.raise(overdue(), RAISED);
    }

    @Test
    void an_overdue_obligation_raises_an_open_alert_with_the_obligation_id() {
        Alert a = raised();
        assertThat(a.id()).isEqualTo("C:assessment-due:e-filed");
        assertThat(a.state()).isEqualTo(AlertState.OPEN);
        assertThat(a.history()).singleElement().satisfies(h -> {
            assertThat(h.transition()).isEqualTo(AlertTransition.RAISED);
            assertThat(h.from()).isNull();
            assertThat(h.by()).isEqualTo(Alert.SYSTEM);
            assertThat(h.reason()).contains("an assessment").contains("2013-11-21");
        });
        assertThat(a.outbox()).containsExactly(AlertTransition.RAISED);
        assertThatThrownBy(() -> Alert.raise(Obligation.create(new DerivedObligation("x", "C", PolicyKind.ASSESSMENT_DUE,
                null, "a", overdue().start(), RAISED, ObligationOutcome.OPEN, null, null), RAISED), RAISED))
                .isInstanceOf(RefusedTransitionException.class);
    }

    @Test
    void acknowledging_records_who_when_and_why_and_twice_is_refused() {
        Alert a = raised().acknowledge("caseworker.amal", "reminder sent", RAISED.plusSeconds(60));
        assertThat(a.state()).isEqualTo(AlertState.ACKNOWLEDGED);
        assertThat(a.acknowledgedBy()).isEqualTo("caseworker.amal");
        assertThat(a.history().get(1)).isEqualTo(new AlertHistoryEntry(1, AlertTransition.ACKNOWLEDGED, AlertState.OPEN,
                AlertState.ACKNOWLEDGED, RAISED.plusSeconds(60), "caseworker.amal", "reminder sent", null));
        assertThat(a.outbox()).containsExactlyInAnyOrder(AlertTransition.RAISED, AlertTransition.ACKNOWLEDGED);
        assertThatThrownBy(() -> a.acknowledge("caseworker.omar", "me too", RAISED.plusSeconds(120)))
                .isInstanceOf(RefusedTransitionException.class).hasMessageContaining("already acknowledged by caseworker.amal");
    }

    @Test
    void only_an_alert_left_open_past_the_delay_escalates() {
        Alert a = raised();
        assertThat(a.escalationDueAt(DELAY)).isEqualTo(RAISED.plus(DELAY));
        assertThat(a.isDueForEscalation(RAISED.plus(DELAY).minusMillis(1), DELAY)).isFalse();
        assertThatThrownBy(() -> a.escalate(RAISED.plus(Duration.ofDays(6)), DELAY)).isInstanceOf(RefusedTransitionException.class);
        Alert escalated = a.escalate(RAISED.plus(DELAY), DELAY);
        assertThat(escalated.state()).isEqualTo(AlertState.ESCALATED);
        assertThat(escalated.history().get(1).reason()).isEqualTo("not acknowledged within P7D of being raised");
        assertThat(escalated.isDueForEscalation(RAISED.plus(Duration.ofDays(30)), DELAY)).as("escalated once").isFalse();

        Alert acknowledged = a.acknowledge("caseworker.amal", "on it", RAISED.plusSeconds(1));
        assertThat(acknowledged.isDueForEscalation(RAISED.plus(Duration.ofDays(30)), DELAY)).isFalse();

        Alert thenAcknowledged = escalated.acknowledge("caseworker.omar", "taking it", RAISED.plus(Duration.ofDays(8)));
        assertThat(thenAcknowledged.state()).isEqualTo(AlertState.ACKNOWLEDGED);
        assertThat(thenAcknowledged.escalatedAt()).isEqualTo(RAISED.plus(DELAY));
    }

    @Test
    void the_awaited_event_resolves_the_alert_whatever_its_state_and_final_states_stay_final() {
        for (Alert a : new Alert[]{raised(), raised().acknowledge("cw", "ok", RAISED),
                raised().escalate(RAISED.plus(DELAY), DELAY)}) {
            Alert resolved = a.resolve(ACK, RAISED.plus(Duration.ofDays(31)));
            assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
            assertThat(resolved.closedBy()).isEqualTo(ACK);
            assertThat(resolved.history().get(resolved.history().size() - 1).event()).isEqualTo(ACK);
            assertThatThrownBy(() -> resolved.cancel(CLOSED, "closed", RAISED)).isInstanceOf(RefusedTransitionException.class);
            assertThatThrownBy(() -> resolved.acknowledge("cw", "late", RAISED)).isInstanceOf(RefusedTransitionException.class);
        }
        Alert cancelled = raised().cancel(CLOSED, "the case was closed", RAISED.plusSeconds(5));
        assertThat(cancelled.state()).isEqualTo(AlertState.CANCELLED);
        assertThat(cancelled.closeReason()).isEqualTo("the case was closed");
        assertThatThrownBy(() -> cancelled.resolve(ACK, RAISED)).isInstanceOf(RefusedTransitionException.class);
    }

    @Test
    void the_outbox_keeps_transitions_until_they_are_queued() {
        Alert a = raised().resolve(ACK, RAISED.plusSeconds(10));
        Alert half = a.outboxed(Set.of(AlertTransition.RAISED));
        assertThat(half.outbox()).containsExactly(AlertTransition.RESOLVED);
        assertThat(half.outboxed(Set.of(AlertTransition.RESOLVED)).outbox()).isEmpty();
        assertThat(a.entry(AlertTransition.RESOLVED).sequence()).isEqualTo(1);
    }
}
