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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends the outbox: claims due PENDING deliveries, sends each on its channel and records the outcomes — SENT, or PENDING
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
    private static final int CLAIM = 25;

    private final DeliveryStore store;
    private final Channels channels;
    private final DeliveryProperties properties;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private volatile boolean stopping;
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
     * Sends every delivery that is due now (at most {@value #BATCH} attempts) on the calling thread; returns how many
     * attempts were made. Safe to call while the worker thread runs: deliveries are claimed atomically.
     * <p>
     * Claims are taken {@value #CLAIM} at a time and their outcomes recorded together, a few requests per claim
     * instead of two per delivery. A claimed delivery is attempted only within the first quarter of the lease, and
     * the outcomes are recorded when the last attempt ends, so as long as one send ends within three quarters of the
     * lease (channels: 10 s webhook and e-mail timeouts, Kafka at most 10 s blocked plus a 30 s send timeout; lease
     * 2 min) every outcome is recorded before the lease lets another worker claim the delivery. The rest of a claim is
     * given back unattempted, as it is when the worker stops.
     */
    public int sendDue() {
        int attempts = 0;
        for (int round = 0; attempts < BATCH && round < BATCH && !stopping; round++) {
            Instant claimedAt = now();
            int limit = Math.min(CLAIM, BATCH - attempts);
            DeliveryStore.Claimed claimed = store.claimDue(claimedAt, properties.lease(), limit);
            Instant attemptBefore = claimedAt.plus(properties.lease().dividedBy(4));
            List<DeliveryStore.Outcome> outcomes = new ArrayList<>(claimed.claims().size());
            List<DeliveryStore.Claim> unattempted = new ArrayList<>();
            for (DeliveryStore.Claim claim : claimed.claims()) {
                if (stopping || Thread.currentThread().isInterrupted() || !now().isBefore(attemptBefore)) {
                    unattempted.add(claim);
                } else {
                    outcomes.add(new DeliveryStore.Outcome(claim, attempt(claim.delivery())));
                }
            }
            // an interrupt (a send that hung at shutdown) would fail every driver call: record first, then restore it
            boolean interrupted = Thread.interrupted();
            try {
                record(outcomes);
                store.release(unattempted, now());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            attempts += outcomes.size();
            if (!unattempted.isEmpty() || !claimed.more()) {
                break; // nothing more was due when claimed, or time to let the loop look again
            }
        }
        return attempts;
    }

    private Delivery attempt(Delivery delivery) {
        Optional<AlertChannel> channel = channels.named(delivery.channel());
        if (channel.isEmpty()) {
            // configuration changes only with a restart: retrying now is pointless; retry it once configured
            return delivery.abandon("channel " + delivery.channel() + " is not configured", now());
        }
        try {
            channel.get().send(delivery);
            return delivery.sent(now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return delivery.failed("interrupted", now(), schedule);
        } catch (Exception e) {
            return delivery.failed(describe(e), now(), schedule);
        }
    }

    private void record(List<DeliveryStore.Outcome> outcomes) {
        int lost = store.recordAll(outcomes);
        if (lost > 0) {
            log.warn("{} of {} delivery outcomes were not recorded: their claims expired and were taken again",
                    lost, outcomes.size());
        }
        for (DeliveryStore.Outcome o : outcomes) {
            Delivery outcome = o.delivery();
            if (outcome.state() == DeliveryState.DEAD) {
                log.warn("delivery {} dead-lettered after {} attempts: {}", outcome.id(), outcome.attempts(),
                        outcome.lastError());
            } else if (outcome.state() == DeliveryState.PENDING) {
                log.info("delivery {} attempt {} failed ({}), next at {}", outcome.id(), outcome.attempts(),
                        outcome.lastError(), outcome.nextAttemptAt());
            }
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
        stopping = false;
        thread = new Thread(this::loop, "delivery-worker");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        stopping = true; // the batch in progress ends its current send, records and gives back the rest
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
