package org.civharm.notification.service;

import org.civharm.notification.config.AlertProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs {@link AlertService#evaluate()} every {@code civharm.alerts.evaluate-interval} (default 30 s), the first time
 * a few seconds after start-up, so overdue obligations of cases loaded while the service was down are alerted
 * promptly. Off with {@code civharm.alerts.scheduler-enabled=false} (the tests call the evaluation themselves).
 */
@Component
public class EvaluationScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EvaluationScheduler.class);

    private final AlertService alerts;
    private final TaskScheduler scheduler;
    private final AlertProperties properties;
    private ScheduledFuture<?> task;

    public EvaluationScheduler(AlertService alerts, TaskScheduler scheduler, AlertProperties properties) {
        this.alerts = alerts;
        this.scheduler = scheduler;
        this.properties = properties;
    }

    private void run() {
        try {
            alerts.evaluate();
        } catch (RuntimeException e) {
            log.warn("evaluation failed; the next run retries: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (task == null && properties.schedulerEnabled()) {
            task = scheduler.scheduleWithFixedDelay(this::run, Instant.now().plus(Duration.ofSeconds(3)),
                    properties.evaluateInterval());
        }
    }

    @Override
    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public boolean isRunning() {
        return task != null;
    }
}
