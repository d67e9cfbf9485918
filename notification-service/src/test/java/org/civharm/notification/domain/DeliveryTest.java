package org.civharm.notification.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryTest {

    private static final Instant NOW = Instant.parse("2025-03-01T08:00:00Z");
    private static final RetrySchedule SCHEDULE = new RetrySchedule(4, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(5));

    private static Delivery queued() {
        DerivedObligation d = new DerivedObligation("C:assessment-due:e", "C", PolicyKind.ASSESSMENT_DUE, null, "a",
                new FactRef("e", "AllegationFiled", NOW.minusSeconds(99_999_999)), NOW.minusSeconds(9_999_999),
                ObligationOutcome.OPEN, null, null);
        Alert alert = Alert.raise(Obligation.create(d, NOW).markOverdue(NOW), NOW);
        return Delivery.queue(alert, AlertTransition.RAISED, "webhook", "event-id", "{}", NOW);
    }

    @Test
    void the_id_is_stable_per_alert_transition_and_channel() {
        assertThat(queued().id()).isEqualTo("C:assessment-due:e:RAISED:webhook");
        assertThat(queued().state()).isEqualTo(DeliveryState.PENDING);
        assertThat(queued().nextAttemptAt()).isEqualTo(NOW);
    }

    @Test
    void back_off_grows_exponentially_up_to_the_cap() {
        assertThat(SCHEDULE.backoffAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(SCHEDULE.backoffAfter(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(SCHEDULE.backoffAfter(3)).isEqualTo(Duration.ofSeconds(5));
        assertThat(SCHEDULE.backoffAfter(30)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void failures_retry_with_back_off_then_dead_letter_and_a_retry_starts_over() {
        Delivery d = queued().failed("HTTP 500", NOW, SCHEDULE);
        assertThat(d.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.nextAttemptAt()).isEqualTo(NOW.plusSeconds(2));
        d = d.failed("HTTP 500", NOW, SCHEDULE).failed("timeout", NOW, SCHEDULE);
        assertThat(d.attempts()).isEqualTo(3);
        Delivery dead = d.failed("HTTP 503", NOW, SCHEDULE);
        assertThat(dead.state()).isEqualTo(DeliveryState.DEAD);
        assertThat(dead.lastError()).isEqualTo("HTTP 503");
        assertThat(dead.nextAttemptAt()).isNull();
        assertThatThrownBy(() -> dead.sent(NOW)).isInstanceOf(RefusedTransitionException.class);

        Delivery again = dead.retry(NOW.plusSeconds(60));
        assertThat(again.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(again.attempts()).isZero();
        assertThat(again.id()).isEqualTo(dead.id());
        assertThat(again.payload()).isEqualTo(dead.payload());
        Delivery sent = again.sent(NOW.plusSeconds(61));
        assertThat(sent.state()).isEqualTo(DeliveryState.SENT);
        assertThatThrownBy(() -> sent.retry(NOW)).isInstanceOf(RefusedTransitionException.class)
                .hasMessageContaining("only dead-lettered deliveries are retried");
    }

    @Test
    void a_delivery_for_a_channel_that_is_not_configured_is_dead_lettered_without_an_attempt() {
        Delivery dead = queued().abandon("channel email is not configured", NOW);
        assertThat(dead.state()).isEqualTo(DeliveryState.DEAD);
        assertThat(dead.attempts()).isZero();
        assertThat(dead.retry(NOW).state()).isEqualTo(DeliveryState.PENDING);
    }
}
