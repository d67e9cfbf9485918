package org.civharm.notification.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored obligation and its state machine (see {@link ObligationState}). Immutable: each transition returns the
 * next version, which the store writes only if the stored version is still the one read.
 *
 * @param overdueAt   when it was marked overdue (by the clock); null before
 * @param closedBy    the event that met or cancelled it; null while open or when cancelled by a policy change
 * @param closedAt    when it was met or cancelled (by the clock)
 * @param reason      why it was cancelled
 * @param alertRaised whether its alert has been written (an overdue obligation without one gets it on the next run)
 * @param version     0 when created, +1 per transition
 */
public record Obligation(
        String id,
        String caseId,
        PolicyKind policy,
        String subjectId,
        String awaited,
        FactRef start,
        Instant dueAt,
        ObligationState state,
        Instant createdAt,
        Instant overdueAt,
        FactRef closedBy,
        Instant closedAt,
        String reason,
        boolean alertRaised,
        long version) {

    public Obligation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(dueAt, "dueAt");
    }

    /** A newly derived obligation as first stored: open ones are PENDING (the clock makes them OVERDUE). */
    public static Obligation create(DerivedObligation d, Instant now) {
        ObligationState state = switch (d.outcome()) {
            case OPEN -> ObligationState.PENDING;
            case MET -> ObligationState.MET;
            case CANCELLED -> ObligationState.CANCELLED;
        };
        return new Obligation(d.id(), d.caseId(), d.policy(), d.subjectId(), d.awaited(), d.start(), d.dueAt(), state,
                now, null, d.closedBy(), state.isOpen() ? null : now, d.reason(), false, 0);
    }

    /**
     * The obligation a rebuild of the view writes: {@code derived} (from the case's facts and the policies in force)
     * carried through the same forward-only state machine as the live view, starting from the obligation the replaced
     * view holds. What the log cannot say is kept from that one: when it was created, marked overdue or closed (the
     * service's clock), that a missed deadline stays missed (an OVERDUE obligation keeps its date), that a closed
     * obligation stays closed (its alert was resolved or cancelled, and that was notified), a cancellation by a policy
     * since disabled (policy history is not in any log), and whether its alert was written. What the facts say is
     * taken from {@code derived}: what is awaited, of which letter or amends, since which event, and any step forward
     * (met, cancelled, a new due date while pending).
     *
     * @param derived  the derived obligation with this id, or null when nothing derives it any more
     * @param replaced the obligation with this id in the replaced view, or null when it had none
     */
    public static Obligation rebuilt(DerivedObligation derived, Obligation replaced, Instant now) {
        if (replaced == null) {
            return create(Objects.requireNonNull(derived, "derived or replaced"), now);
        }
        if (derived == null) {
            return replaced.reconcile(null, now).orElse(replaced);
        }
        Obligation base = new Obligation(replaced.id, derived.caseId(), derived.policy(), derived.subjectId(),
                derived.awaited(), derived.start(), replaced.dueAt, replaced.state, replaced.createdAt,
                replaced.overdueAt, replaced.closedBy, replaced.closedAt, replaced.reason, replaced.alertRaised,
                replaced.version);
        if (!base.equals(replaced)) {
            base = new Obligation(base.id, base.caseId, base.policy, base.subjectId, base.awaited, base.start,
                    base.dueAt, base.state, base.createdAt, base.overdueAt, base.closedBy, base.closedAt, base.reason,
                    base.alertRaised, base.version + 1);
        }
        return base.reconcile(derived, now).orElse(base);
    }

    public boolean isOverdueAt(Instant now) {
        return state == ObligationState.PENDING && !now.isBefore(dueAt);
    }

    public Obligation markOverdue(Instant now) {
        if (!isOverdueAt(now)) {
            throw new RefusedTransitionException("obligation " + id + " is " + state + ", due " + dueAt
                    + ": not overdue at " + now);
        }
        return next(ObligationState.OVERDUE, now, closedBy, closedAt, reason, alertRaised, dueAt);
    }

    /**
     * Overdue with its alert already raised, in one transition (one write): the alert and its deliveries are stored
     * before the obligation says so, so a crash in between leaves a pending obligation past due, which the next
     * evaluation or redelivery settles again (the alert and deliveries have stable ids).
     */
    public Obligation markOverdueWithAlertRaised(Instant now) {
        Obligation o = markOverdue(now);
        return new Obligation(o.id, o.caseId, o.policy, o.subjectId, o.awaited, o.start, o.dueAt, o.state, o.createdAt,
                o.overdueAt, o.closedBy, o.closedAt, o.reason, true, o.version);
    }

    public Obligation withAlertRaised() {
        return new Obligation(id, caseId, policy, subjectId, awaited, start, dueAt, state, createdAt, overdueAt,
                closedBy, closedAt, reason, true, version + 1);
    }

    public Obligation meet(FactRef by, Instant now) {
        requireOpen("met");
        return next(ObligationState.MET, overdueAt, by, now, null, alertRaised, dueAt);
    }

    public Obligation cancel(FactRef by, String why, Instant now) {
        requireOpen("cancelled");
        return next(ObligationState.CANCELLED, overdueAt, by, now, why, alertRaised, dueAt);
    }

    /**
     * Brings a stored obligation in line with what the facts and policies now derive; empty when nothing changes.
     * A PENDING obligation takes a changed due date (a policy change); an OVERDUE one keeps its date: a deadline
     * already missed is not rewritten. A final state never changes.
     *
     * @param derived the derived obligation with this id, or null when nothing derives it any more (its policy
     *                was disabled)
     */
    public Optional<Obligation> reconcile(DerivedObligation derived, Instant now) {
        if (!state.isOpen()) {
            return Optional.empty();
        }
        if (derived == null) {
            return Optional.of(cancel(null, "policy " + policy.wireName() + " was disabled", now));
        }
        return switch (derived.outcome()) {
            case MET -> Optional.of(meet(derived.closedBy(), now));
            case CANCELLED -> Optional.of(cancel(derived.closedBy(), derived.reason(), now));
            case OPEN -> state == ObligationState.PENDING && !derived.dueAt().equals(dueAt)
                    ? Optional.of(next(state, overdueAt, closedBy, closedAt, reason, alertRaised, derived.dueAt()))
                    : Optional.empty();
        };
    }

    private void requireOpen(String what) {
        if (!state.isOpen()) {
            throw new RefusedTransitionException("obligation " + id + " is " + state + " and cannot be " + what);
        }
    }

    private Obligation next(ObligationState s, Instant overdue, FactRef by, Instant closed, String why, boolean raised,
                            Instant due) {
        return new Obligation(id, caseId, policy, subjectId, awaited, start, due, s, createdAt, overdue, by, closed,
                why, raised, version + 1);
    }
}
