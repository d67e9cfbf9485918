package org.civharm.notification.domain;

import java.time.Instant;

/**
 * An obligation as a case's facts and the policies in force define it.
 *
 * @param id         stable key {@code <caseId>:<policy>:<startingEventId>}
 * @param subjectId  the letter or amends the obligation is about; null for case-level obligations
 * @param awaited    what is awaited, in words
 * @param start      the event that started the clock
 * @param dueAt      the deadline
 * @param outcome    open, met or cancelled
 * @param closedBy   the event that met or cancelled it; null while open
 * @param reason     why it was cancelled; null otherwise
 */
public record DerivedObligation(
        String id,
        String caseId,
        PolicyKind policy,
        String subjectId,
        String awaited,
        FactRef start,
        Instant dueAt,
        ObligationOutcome outcome,
        FactRef closedBy,
        String reason) {

    public static String idOf(String caseId, PolicyKind policy, String startingEventId) {
        return caseId + ":" + policy.wireName() + ":" + startingEventId;
    }

    DerivedObligation met(FactRef by) {
        return new DerivedObligation(id, caseId, policy, subjectId, awaited, start, dueAt, ObligationOutcome.MET, by, null);
    }

    DerivedObligation cancelled(FactRef by, String why) {
        return new DerivedObligation(id, caseId, policy, subjectId, awaited, start, dueAt, ObligationOutcome.CANCELLED,
                by, why);
    }
}
