package org.civharm.notification.config;

import org.civharm.notification.domain.RetrySchedule;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The delivery worker that sends the outbox.
 *
 * @param maxAttempts     attempts per delivery before it is dead-lettered
 * @param initialBackoff  wait after the first failed attempt
 * @param multiplier      growth of the wait after each further failure
 * @param maxBackoff      longest wait between attempts
 * @param pollInterval    how often the worker looks for due deliveries (it is also woken when one is queued)
 * @param lease           how long a claimed delivery is reserved for the worker sending it; after a crash it is
 *                        sent again once the lease has passed (hence the stable delivery id). The worker starts
 *                        attempts in the first quarter of it, so one send must end within the other three quarters
 *                        (the channels' timeouts are 10-40 s)
 * @param workerEnabled   false to send only when called (not used by the tests, which let the worker run)
 */
@ConfigurationProperties("civharm.delivery")
public record DeliveryProperties(@DefaultValue("8") int maxAttempts,
                                 @DefaultValue("2s") Duration initialBackoff,
                                 @DefaultValue("2.0") double multiplier,
                                 @DefaultValue("10m") Duration maxBackoff,
                                 @DefaultValue("1s") Duration pollInterval,
                                 @DefaultValue("2m") Duration lease,
                                 @DefaultValue("true") boolean workerEnabled) {

    public RetrySchedule schedule() {
        return new RetrySchedule(maxAttempts, initialBackoff, multiplier, maxBackoff);
    }
}
