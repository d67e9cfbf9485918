package org.civharm.notification.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.civharm.notification.domain.DeliveryState;
import org.civharm.notification.domain.ObligationState;
import org.civharm.notification.store.AlertStore;
import org.civharm.notification.store.DeliveryStore;
import org.civharm.notification.store.ObligationStore;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Gauges read from the store at each scrape (Prometheus names): {@code civharm_alerts_open} (alerts not resolved or
 * cancelled), {@code civharm_obligations_overdue}, {@code civharm_obligation_oldest_overdue_age_seconds} (0 when none
 * is overdue) and {@code civharm_deliveries_dead}. NaN when the store cannot be read.
 */
@Component
public class NotificationMetrics {

    public NotificationMetrics(MeterRegistry registry, AlertStore alerts, ObligationStore obligations,
                               DeliveryStore deliveries, TimeSource time) {
        gauge(registry, "civharm.alerts.open", "alerts open, acknowledged or escalated (not resolved or cancelled)",
                null, alerts::countActive);
        gauge(registry, "civharm.obligations.overdue", "obligations past their due date, still awaited",
                null, () -> obligations.countByState(ObligationState.OVERDUE));
        gauge(registry, "civharm.obligation.oldest.overdue.age", "how long ago the oldest overdue obligation fell due",
                "seconds", () -> obligations.oldestOverdueDueAt()
                        .map(due -> Math.max(0, Duration.between(due, time.now()).toSeconds())).orElse(0L));
        gauge(registry, "civharm.deliveries.dead", "dead-lettered notifications waiting for a retry",
                null, () -> deliveries.countByState(DeliveryState.DEAD));
    }

    private static void gauge(MeterRegistry registry, String name, String description, String unit,
                              Supplier<Number> value) {
        Gauge.builder(name, () -> {
                    try {
                        return value.get();
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description(description).baseUnit(unit).register(registry);
    }
}
