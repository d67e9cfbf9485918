package org.civharm.notification.domain;

import java.time.Duration;

/**
 * Exponential back-off between delivery attempts: {@code initial × multiplier^(attempt-1)}, capped at {@code max};
 * after {@code maxAttempts} failed attempts the delivery is dead-lettered.
 */
public record RetrySchedule(int maxAttempts, Duration initial, double multiplier, Duration max) {

    public RetrySchedule {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || multiplier < 1.0) {
            throw new IllegalArgumentException("need 0 < initial <= max and multiplier >= 1");
        }
    }

    /** The wait after the given failed attempt (1 = the first attempt). */
    public Duration backoffAfter(int failedAttempt) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
