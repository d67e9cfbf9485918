package org.civharm.notification.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One notification of one alert transition on one channel: the outbox entry, written before anything is sent. Its id
 * {@code <alertId>:<transition>:<channel>} is stable, so it is written once whatever is retried, and it is sent to
 * receivers (header {@code X-Civharm-Delivery-Id}) so they can drop the one resend that a crash between sending and
 * recording can cause.
 *
 * @param payload the alert event envelope as JSON, fixed when the transition happened
 * @param attempts attempts made so far
 */
public record Delivery(
        String id,
        String alertId,
        String caseId,
        AlertTransition transition,
        String channel,
        String eventId,
        String payload,
        DeliveryState state,
        int attempts,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant lastAttemptAt,
        String lastError,
        Instant sentAt) {

    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }

    public static String idOf(String alertId, AlertTransition transition, String channel) {
        return alertId + ":" + transition.name() + ":" + channel;
    }

    public static Delivery queue(Alert alert, AlertTransition transition, String channel, String eventId,
                                 String payload, Instant now) {
        return new Delivery(idOf(alert.id(), transition, channel), alert.id(), alert.caseId(), transition, channel,
                eventId, payload, DeliveryState.PENDING, 0, now, now, null, null, null);
    }

    public Delivery sent(Instant now) {
        requireState(DeliveryState.PENDING, "sent");
        return new Delivery(id, alertId, caseId, transition, channel, eventId, payload, DeliveryState.SENT,
                attempts + 1, createdAt, null, now, lastError, now);
    }

    /** After a failed attempt: PENDING again after the back-off, or DEAD when that was the last attempt. */
    public Delivery failed(String error, Instant now, RetrySchedule schedule) {
        requireState(DeliveryState.PENDING, "failed");
        int made = attempts + 1;
        boolean dead = made >= schedule.maxAttempts();
        return new Delivery(id, alertId, caseId, transition, channel, eventId, payload,
                dead ? DeliveryState.DEAD : DeliveryState.PENDING, made, createdAt,
                dead ? null : now.plus(schedule.backoffAfter(made)), now, error, null);
    }

    /** Dead-letters a delivery that cannot be attempted at all (its channel is not configured). */
    public Delivery abandon(String error, Instant now) {
        requireState(DeliveryState.PENDING, "abandoned");
        return new Delivery(id, alertId, caseId, transition, channel, eventId, payload, DeliveryState.DEAD, attempts,
                createdAt, null, lastAttemptAt, error, null);
    }

    /** A dead-lettered delivery is queued again with a fresh set of attempts (its id and payload stay the same). */
    public Delivery retry(Instant now) {
        requireState(DeliveryState.DEAD, "retried");
        return new Delivery(id, alertId, caseId, transition, channel, eventId, payload, DeliveryState.PENDING, 0,
                createdAt, now, lastAttemptAt, lastError, null);
    }

    private void requireState(DeliveryState expected, String what) {
        if (state != expected) {
            throw new RefusedTransitionException("delivery " + id + " is " + state + " and cannot be " + what
                    + (expected == DeliveryState.DEAD ? ": only dead-lettered deliveries are retried" : ""));
        }
    }
}
