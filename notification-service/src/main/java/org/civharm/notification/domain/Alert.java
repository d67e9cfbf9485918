package org.civharm.notification.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An alert about an overdue obligation, with its state machine (see {@link AlertState}) and full history. Immutable:
 * each transition returns the next version. The alert's id is the obligation's id, so an obligation can never have
 * two alerts, whatever is redelivered or replayed.
 * <p>
 * {@code outbox} lists the transitions whose notifications are not yet queued for delivery: a transition adds itself,
 * and the service removes it once one delivery per channel is stored. A crash in between leaves it listed, and the
 * next run queues it (delivery ids are stable, so queuing twice changes nothing).
 */
public record Alert(
        String id,
        String caseId,
        PolicyKind policy,
        String awaited,
        FactRef start,
        Instant dueAt,
        AlertState state,
        Instant raisedAt,
        String acknowledgedBy,
        Instant acknowledgedAt,
        String acknowledgementComment,
        Instant escalatedAt,
        FactRef closedBy,
        Instant closedAt,
        String closeReason,
        List<AlertHistoryEntry> history,
        Set<AlertTransition> outbox,
        long version) {

    /** The actor of transitions made by the service itself. */
    public static final String SYSTEM = "notification-service";

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        history = List.copyOf(history);
        outbox = outbox.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(outbox));
    }

    /** Raises the alert of an overdue obligation. */
    public static Alert raise(Obligation o, Instant now) {
        if (o.state() != ObligationState.OVERDUE) {
            throw new RefusedTransitionException("obligation " + o.id() + " is " + o.state() + ": only an overdue "
                    + "obligation raises an alert");
        }
        AlertHistoryEntry raised = new AlertHistoryEntry(0, AlertTransition.RAISED, null, AlertState.OPEN, now, SYSTEM,
                "overdue since " + o.dueAt() + ": still awaiting " + o.awaited() + " (" + o.policy().wireName()
                        + ", clock started by " + o.start().eventType() + " of " + o.start().occurredAt() + ")", null);
        return new Alert(o.id(), o.caseId(), o.policy(), o.awaited(), o.start(), o.dueAt(), AlertState.OPEN, now,
                null, null, null, null, null, null, null, List.of(raised), Set.of(AlertTransition.RAISED), 0);
    }

    public Alert acknowledge(String actor, String comment, Instant now) {
        if (state == AlertState.ACKNOWLEDGED) {
            throw new RefusedTransitionException("alert " + id + " was already acknowledged by " + acknowledgedBy
                    + " at " + acknowledgedAt);
        }
        requireActive("acknowledged");
        return transition(AlertTransition.ACKNOWLEDGED, AlertState.ACKNOWLEDGED, now, actor, comment, null,
                actor, now, comment, escalatedAt, closedBy, closedAt, closeReason);
    }

    /** When an alert left open (unacknowledged) becomes due for escalation. */
    public Instant escalationDueAt(Duration delay) {
        return raisedAt.plus(delay);
    }

    public boolean isDueForEscalation(Instant now, Duration delay) {
        return state == AlertState.OPEN && !now.isBefore(escalationDueAt(delay));
    }

    public Alert escalate(Instant now, Duration delay) {
        if (!isDueForEscalation(now, delay)) {
            throw new RefusedTransitionException("alert " + id + " is " + state + ", raised " + raisedAt
                    + ": not due for escalation at " + now);
        }
        return transition(AlertTransition.ESCALATED, AlertState.ESCALATED, now, SYSTEM,
                "not acknowledged within " + describe(delay) + " of being raised", null,
                acknowledgedBy, acknowledgedAt, acknowledgementComment, now, closedBy, closedAt, closeReason);
    }

    public Alert resolve(FactRef by, Instant now) {
        requireActive("resolved");
        String why = by == null ? "the awaited response arrived" : "the awaited " + by.eventType() + " arrived";
        return transition(AlertTransition.RESOLVED, AlertState.RESOLVED, now, SYSTEM, why, by,
                acknowledgedBy, acknowledgedAt, acknowledgementComment, escalatedAt, by, now, why);
    }

    public Alert cancel(FactRef by, String why, Instant now) {
        requireActive("cancelled");
        return transition(AlertTransition.CANCELLED, AlertState.CANCELLED, now, SYSTEM, why, by,
                acknowledgedBy, acknowledgedAt, acknowledgementComment, escalatedAt, by, now, why);
    }

    /** The alert once the notifications of {@code done} are queued. */
    public Alert outboxed(Set<AlertTransition> done) {
        EnumSet<AlertTransition> left = outbox.isEmpty() ? EnumSet.noneOf(AlertTransition.class) : EnumSet.copyOf(outbox);
        left.removeAll(done);
        return new Alert(id, caseId, policy, awaited, start, dueAt, state, raisedAt, acknowledgedBy, acknowledgedAt,
                acknowledgementComment, escalatedAt, closedBy, closedAt, closeReason, history, left, version + 1);
    }

    /** The history entry of a transition (each happens at most once). */
    public AlertHistoryEntry entry(AlertTransition transition) {
        return history.stream().filter(h -> h.transition() == transition).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("alert " + id + " has no " + transition));
    }

    /** ISO-8601, in whole days when it is whole days ({@code P7D} rather than {@code PT168H}). */
    static String describe(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    private void requireActive(String what) {
        if (!state.isActive()) {
            throw new RefusedTransitionException("alert " + id + " is " + state + " and cannot be " + what);
        }
    }

    private Alert transition(AlertTransition t, AlertState to, Instant now, String by, String reason, FactRef event,
                             String ackBy, Instant ackAt, String ackComment, Instant escalated, FactRef closedByRef,
                             Instant closed, String closeWhy) {
        List<AlertHistoryEntry> h = new ArrayList<>(history);
        h.add(new AlertHistoryEntry(history.size(), t, state, to, now, by, reason, event));
        EnumSet<AlertTransition> pending = outbox.isEmpty() ? EnumSet.noneOf(AlertTransition.class) : EnumSet.copyOf(outbox);
        pending.add(t);
        return new Alert(id, caseId, policy, awaited, start, dueAt, to, raisedAt, ackBy, ackAt, ackComment, escalated,
                closedByRef, closed, closeWhy, h, pending, version + 1);
    }
}
