package org.civharm.notification.service;

import org.civharm.notification.channels.AlertChannel;
import org.civharm.notification.channels.AlertEvents;
import org.civharm.notification.channels.Channels;
import org.civharm.notification.channels.DeliveryWorker;
import org.civharm.notification.config.AlertProperties;
import org.civharm.notification.domain.Alert;
import org.civharm.notification.domain.AlertState;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;
import org.civharm.notification.domain.Obligation;
import org.civharm.notification.domain.ObligationState;
import org.civharm.notification.store.AlertStore;
import org.civharm.notification.store.DeliveryStore;
import org.civharm.notification.store.ObligationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Moves obligations and alerts with time and with their obligation's fate, and queues the notifications:
 * <ul>
 *   <li>a PENDING obligation past its due date becomes OVERDUE and raises its alert (once: the alert's id is the
 *       obligation's id);</li>
 *   <li>an OPEN alert nobody acknowledged within {@code civharm.alerts.escalate-after} of being raised is
 *       ESCALATED;</li>
 *   <li>when its obligation is MET the alert is RESOLVED, when it is CANCELLED the alert is CANCELLED — whatever the
 *       alert's state (open, acknowledged or escalated);</li>
 *   <li>each transition queues one delivery per configured channel in the outbox before anything is sent.</li>
 * </ul>
 * {@link #evaluate()} is what the scheduler runs every {@code civharm.alerts.evaluate-interval}; tests call it
 * directly after moving the clock.
 */
@Service
public class AlertService {

    private static final Logger log = LoggerFactory.getLogger(AlertService.class);
    private static final int MAX_RETRIES = 5;
    private static final int REPAIR_BATCH = 500;

    private final ObligationStore obligations;
    private final AlertStore alerts;
    private final DeliveryStore deliveries;
    private final Channels channels;
    private final AlertEvents events;
    private final DeliveryWorker worker;
    private final PolicyService policies;
    private final AlertProperties properties;
    private final TimeSource time;
    private final WriteLock lock;

    public AlertService(ObligationStore obligations, AlertStore alerts, DeliveryStore deliveries, Channels channels,
                        AlertEvents events, DeliveryWorker worker, PolicyService policies, AlertProperties properties,
                        TimeSource time, WriteLock lock) {
        this.obligations = obligations;
        this.alerts = alerts;
        this.deliveries = deliveries;
        this.channels = channels;
        this.events = events;
        this.worker = worker;
        this.policies = policies;
        this.properties = properties;
        this.time = time;
        this.lock = lock;
    }

    /** What one evaluation did. */
    public record Evaluation(int markedOverdue, int raised, int escalated, int settled, int queued) {
    }

    /**
     * One pass of the scheduler: marks due obligations OVERDUE and raises their alerts, escalates alerts left open
     * too long, repairs what a crash may have left half-done (an overdue obligation without its alert, an alert
     * still active whose obligation is closed, transitions not yet queued), and queues their deliveries.
     */
    public Evaluation evaluate() {
        // The lock is taken per obligation or alert, not for the whole pass: a pass over thousands of active alerts
        // held it for seconds and stalled the Kafka listener behind it. Each step re-reads what it changes and
        // writes conditionally, so a change made by the listener between the query and the step is seen, not lost.
        lock.run(policies::refresh);
        Instant now = time.now();
        Counter counter = new Counter();
        // Each is read again under its case's lock: the alert is now raised before the obligation is written, so an
        // obligation met since the query must not raise one.
        for (Obligation o : obligations.findPendingDueBy(now)) {
            lock.runForCase(o.caseId(), () -> obligations.find(o.id()).ifPresent(current -> settle(current, now, counter)));
        }
        for (Obligation o : obligations.findOverdueWithoutAlert()) {
            lock.runForCase(o.caseId(), () -> obligations.find(o.id()).ifPresent(current -> settle(current, now, counter)));
        }
        for (Alert a : alerts.findByState(AlertState.OPEN)) {
            if (a.isDueForEscalation(now, properties.escalateAfter())) {
                lock.runForCase(a.caseId(), () -> update(a.id(),
                        current -> current.isDueForEscalation(now, properties.escalateAfter())
                                ? current.escalate(now, properties.escalateAfter()) : current)
                        .filter(x -> x.state() == AlertState.ESCALATED).ifPresent(x -> {
                            counter.escalated++;
                            log.info("alert {} escalated: not acknowledged since {}", x.id(), x.raisedAt());
                        }));
            }
        }
        // Active alerts whose obligation is closed (normally none: only after a crash between the two writes). Read
        // in batches by id: one query per obligation made this pass as long as the register was large.
        List<String> active = alerts.activeIds();
        for (int from = 0; from < active.size(); from += REPAIR_BATCH) {
            for (Obligation o : obligations.findByIds(active.subList(from, Math.min(active.size(), from + REPAIR_BATCH)))) {
                if (!o.state().isOpen()) {
                    lock.runForCase(o.caseId(), () -> {
                        settle(o, now, counter);
                        counter.settled++;
                    });
                }
            }
        }
        for (Alert a : alerts.findWithPendingOutbox()) {
            lock.runForCase(a.caseId(), () -> counter.queued += queue(a));
        }
        Evaluation result = new Evaluation(counter.overdue, counter.raised, counter.escalated, counter.settled,
                counter.queued);
        if (counter.overdue + counter.raised + counter.escalated + counter.settled > 0) {
            log.info("evaluation at {}: {}", now, result);
        }
        return result;
    }

    /**
     * Brings one obligation's alert in line with the obligation: overdue → raised, met → resolved, cancelled →
     * cancelled. Idempotent; called after every change of an obligation.
     */
    void settle(Obligation obligation, Instant now, Counter counter) {
        Obligation o = obligation;
        if (o.isOverdueAt(now)) {
            // the alert and its deliveries first, then the obligation in one write (overdue, alert raised)
            raiseAlert(o.markOverdue(now), now, counter);
            Optional<Obligation> marked = updateObligation(o, current -> current.isOverdueAt(now)
                    ? current.markOverdueWithAlertRaised(now)
                    : current.state() == ObligationState.OVERDUE && !current.alertRaised() ? current.withAlertRaised() : null);
            if (marked.isEmpty()) {
                return;
            }
            if (marked.get().state() == ObligationState.OVERDUE && marked.get() != o) {
                counter.overdue++;
            }
            o = marked.get(); // met or cancelled meanwhile: its alert is closed below
        }
        if (o.state() == ObligationState.OVERDUE && !o.alertRaised()) {
            // overdue without its alert: written before alerts were raised first, or by an older version
            raiseAlert(o, now, counter);
            updateObligation(o, current -> current.alertRaised() ? null : current.withAlertRaised());
            return;
        }
        if (o.state() == ObligationState.MET || o.state() == ObligationState.CANCELLED) {
            Obligation closed = o;
            Optional<Alert> alert = alerts.find(o.id());
            if (alert.isPresent() && alert.get().state().isActive()) {
                update(alert.get(), current -> {
                    if (!current.state().isActive()) {
                        return current;
                    }
                    return closed.state() == ObligationState.MET
                            ? current.resolve(closed.closedBy(), now)
                            : current.cancel(closed.closedBy(), closed.reason(), now);
                }).ifPresent(a -> log.info("alert {} {}", a.id(), a.state()));
            }
        }
    }

    /**
     * Stores the alert an overdue obligation raises: its deliveries first (stable ids: queuing twice adds nothing),
     * then the alert with its outbox already empty, which saves the write that cleared the outbox after queuing. A
     * crash in between leaves queued deliveries and no alert; settling the obligation again raises it. An alert that
     * exists already (a repeat, whose deliveries were queued then) has whatever transitions are still pending queued.
     */
    void raiseAlert(Obligation overdue, Instant now, Counter counter) {
        Alert raised = Alert.raise(overdue, now);
        int queued = queueDeliveries(raised, now);
        if (alerts.insertIfAbsent(raised.outboxed(raised.outbox()))) {
            counter.raised++;
            counter.queued += queued;
            log.info("alert raised: {} (due {})", raised.id(), raised.dueAt());
        } else {
            // raised before (a repeat): its own pending transitions, if any
            counter.queued += alerts.find(raised.id()).map(this::queue).orElse(0);
        }
        worker.wake();
    }

    /** A caseworker acknowledges an alert: it will not be escalated, and stays until resolved or cancelled. */
    public Alert acknowledge(String alertId, String actor, String comment) {
        return lock.call(() -> {
            Instant now = time.now();
            Alert read = alerts.find(alertId).orElseThrow(() -> new NotFoundException("alert", alertId));
            return update(read, current -> current.acknowledge(actor, comment, now))
                    .orElseThrow(() -> new NotFoundException("alert", alertId));
        });
    }

    public Optional<Alert> find(String alertId) {
        return alerts.find(alertId);
    }

    /**
     * Applies a transition to the stored alert (re-reading on a concurrent change), then queues the deliveries of
     * whatever transitions it has pending. A transition that returns the alert unchanged writes nothing.
     */
    private Optional<Alert> update(String alertId, UnaryOperator<Alert> transition) {
        return update(alertId, null, transition);
    }

    /** {@link #update(String, UnaryOperator)} starting from an alert just read, instead of reading it again. */
    private Optional<Alert> update(Alert read, UnaryOperator<Alert> transition) {
        return update(read.id(), read, transition);
    }

    private Optional<Alert> update(String alertId, Alert read, UnaryOperator<Alert> transition) {
        for (int i = 0; i < MAX_RETRIES; i++) {
            Optional<Alert> current = i == 0 && read != null ? Optional.of(read) : alerts.find(alertId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Alert next = transition.apply(current.get());
            if (next == current.get()) {
                return current;
            }
            if (alerts.replace(next)) {
                queue(next);
                return Optional.of(next);
            }
        }
        throw new ConcurrentChangeException("alert " + alertId + " kept changing; try again");
    }

    /** Like {@link #update} for obligations; a transition returning null means "nothing to do". */
    private Optional<Obligation> updateObligation(Obligation read, UnaryOperator<Obligation> transition) {
        Obligation current = read;
        for (int i = 0; i < MAX_RETRIES; i++) {
            Obligation next = transition.apply(current);
            if (next == null) {
                return Optional.of(current);
            }
            if (obligations.replace(next)) {
                return Optional.of(next);
            }
            Optional<Obligation> reread = obligations.find(read.id());
            if (reread.isEmpty()) {
                return Optional.empty();
            }
            current = reread.get();
        }
        throw new ConcurrentChangeException("obligation " + read.id() + " kept changing; try again");
    }

    /**
     * Queues one delivery per configured channel for each transition in the alert's outbox (stable ids: queuing twice
     * adds nothing), then clears the outbox and wakes the delivery worker.
     *
     * @return how many deliveries were newly queued
     */
    int queue(Alert alert) {
        if (alert.outbox().isEmpty()) {
            return 0;
        }
        int queued = queueDeliveries(alert, time.now());
        // If this write loses to a concurrent one, the transitions stay listed and the next evaluation queues them
        // again, which adds nothing.
        alerts.replace(alert.outboxed(alert.outbox()));
        worker.wake();
        return queued;
    }

    /**
     * Queues one delivery per configured channel for each transition in the alert's outbox, all in one insert; answers
     * how many are new.
     */
    private int queueDeliveries(Alert alert, Instant now) {
        List<Delivery> queued = new ArrayList<>();
        List<AlertTransition> ordered = alert.outbox().stream()
                .sorted(Comparator.comparingInt(t -> alert.entry(t).sequence())).toList();
        for (AlertTransition t : ordered) {
            String payload = events.payload(alert, t);
            for (AlertChannel channel : channels.carrying(t)) {
                queued.add(Delivery.queue(alert, t, channel.name(), AlertEvents.eventId(alert.id(), t), payload, now));
            }
        }
        return deliveries.insertAllIfAbsent(queued);
    }

    /** Counts for one evaluation. */
    static final class Counter {
        int overdue;
        int raised;
        int escalated;
        int settled;
        int queued;
    }
}
