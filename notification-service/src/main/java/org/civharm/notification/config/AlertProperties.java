package org.civharm.notification.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Alerting timings.
 *
 * @param escalateAfter     an alert still OPEN (nobody acknowledged it) this long after it was raised is escalated
 * @param evaluateInterval  how often the scheduler marks due obligations overdue, raises alerts and escalates
 * @param schedulerEnabled  false to run the evaluation only when called (tests call it directly)
 */
@ConfigurationProperties("civharm.alerts")
public record AlertProperties(@DefaultValue("P7D") Duration escalateAfter,
                              @DefaultValue("30s") Duration evaluateInterval,
                              @DefaultValue("true") boolean schedulerEnabled) {

    public AlertProperties {
        if (escalateAfter.isNegative() || escalateAfter.isZero()) {
            throw new IllegalArgumentException("civharm.alerts.escalate-after must be positive");
        }
        if (evaluateInterval.toMillis() < 100) {
            throw new IllegalArgumentException("civharm.alerts.evaluate-interval must be at least 100ms");
        }
    }
}
