package org.civharm.notification.channels;

import org.civharm.notification.config.DeliveryProperties;
import org.civharm.notification.domain.Delivery;
import org.civharm.notification.domain.DeliveryState;
import org.civharm.notification.domain.RetrySchedule;
import org.civharm.notification.store.DeliveryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends the outbox: claims a due PENDING delivery, sends it on its channel and records the outcome — SENT, or PENDING
 * again after an exponential back-off, or DEAD after the last attempt (then listed at
 * {@code GET /deliveries/dead-letters} and retryable). Runs on its own thread, woken when deliveries are queued and
 * otherwise every {@code civharm.delivery.poll-interval}.
 * <p>
 * Guarantees: a queued delivery is sent until accepted or dead-lettered, across restarts (the outbox is in Mongo). If
 * the service dies after a receiver accepted a delivery but before it was recorded, the delivery is sent again after
 * its lease: at most that one resend, with the same {@code X-Civharm-Delivery-Id}/event id for receivers to drop.
 */
@Component
public class DeliveryWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int BATCH = 100;

    private final DeliveryStore store;
    private final Channels channels;
    private final DeliveryProperties properties;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public DeliveryWorker(DeliveryStore store, Channels channels, DeliveryProperties properties, Clock clock) {
        this.store = store;
        this.channels = channels;
        this.properties = properties;
        this.schedule = properties.schedule();
        this.clock = clock;
    }

    /** Asks the worker to look for due deliveries now. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /**
     * Sends every delivery that is due now (at most one batch) on the calling thread; returns how many attempts were
     * made. Safe to call while the worker thread runs: each delivery is claimed atomically.
     */
    public int sendDue() {
        int attempts = 0;
        while (attempts < BATCH) {
            Optional<DeliveryStore.Claim> claim = store.claimNext(now(), properties.lease());
            if (claim.isEmpty()) {
                break;
            }
            attempt(claim.get());
            attempts++;
        }
        return attempts;
    }

    private void attempt(DeliveryStore.Claim claim) {
        Delivery delivery = claim.delivery();
        Delivery outcome;
        Optional<AlertChannel> channel = channels.named(delivery.channel());
        if (channel.isEmpty()) {
            // configuration changes only with a restart: retrying now is pointless; retry it once configured
            outcome = delivery.abandon("channel " + delivery.channel() + " is not configured", now());
        } else {
            try {
                channel.get().send(delivery);
                outcome = delivery.sent(now());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = delivery.failed("interrupted", now(), schedule);
            } catch (Exception e) {
                outcome = delivery.failed(describe(e), now(), schedule);
            }
        }
        if (!store.record(claim, outcome)) {
            log.warn("delivery {} was re-claimed before its outcome ({}) was recorded", delivery.id(), outcome.state());
        } else if (outcome.state() == DeliveryState.DEAD) {
            log.warn("delivery {} dead-lettered after {} attempts: {}", delivery.id(), outcome.attempts(), outcome.lastError());
        } else if (outcome.state() == DeliveryState.PENDING) {
            log.info("delivery {} attempt {} failed ({}), next at {}", delivery.id(), outcome.attempts(),
                    outcome.lastError(), outcome.nextAttemptAt());
        }
    }

    /** The exception and its causes, e.g. "ConnectException (ClosedChannelException)", at most 500 characters. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                sb.append(": ").append(t.getMessage().strip());
            }
        }
        return sb.length() > 500 ? sb.substring(0, 500) : sb.toString();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void loop() {
        while (running) {
            try {
                sendDue();
            } catch (RuntimeException e) {
                log.warn("delivery run failed, retrying after the poll interval: {}", e.toString());
            }
            try {
                if (wakeUp.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        if (running || !properties.workerEnabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "delivery-worker");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            wake();
            try {
                // let a send in progress finish and be recorded; interrupt only if it hangs
                thread.join(10_000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(2_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
