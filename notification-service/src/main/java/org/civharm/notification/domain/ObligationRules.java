package org.civharm.notification.domain;

import org.civharm.notification.api.CaseFact;
import org.civharm.notification.api.FactKind;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Derives a case's obligations from its facts and the policies in force: a pure function, so consuming a record twice,
 * replaying the topics from offset 0 or reading the two topics in another interleaving gives the same obligations.
 * <p>
 * Facts are applied in {@link CaseOrder}. For each fact, in this order:
 * <ol>
 *   <li>it <b>meets</b> every open obligation that awaited it (for letters and amends: the same letter or amends
 *       id);</li>
 *   <li>it <b>cancels</b> what it makes moot: {@code AccountabilityRecordClosed} cancels every obligation of the case
 *       still open (it meets {@code open-too-long} first); a dismissal or duplicate finding cancels open
 *       investigation and amends obligations (there is nothing to investigate or repair on a non-credible case);</li>
 *   <li>it <b>starts</b> the obligations of every enabled policy it starts, unless the same obligation (same policy,
 *       same letter or amends) is already open.</li>
 * </ol>
 * {@code open-too-long} is met by {@code AccountabilityRecordClosed} or by a dismissal or duplicate finding (the
 * belligerent's answer ends the case on the intake side); a reopening (of the allegation or of the accountability
 * record) starts it again.
 * A disabled policy starts nothing; what it had started is no longer derived (the store cancels it).
 */
public final class ObligationRules {

    private static final Set<FactKind> ASSESSMENTS = EnumSet.of(FactKind.ALLEGATION_ACKNOWLEDGED,
            FactKind.ALLEGATION_DISMISSED, FactKind.ALLEGATION_MARKED_DUPLICATE);
    private static final Set<PolicyKind> MOOT_WITHOUT_ACKNOWLEDGEMENT = EnumSet.of(PolicyKind.INVESTIGATION_DECISION_DUE,
            PolicyKind.AMENDS_OFFER_DUE, PolicyKind.AMENDS_PAYMENT_DUE);

    private ObligationRules() {
    }

    public static List<DerivedObligation> derive(List<CaseFact> facts, PolicySet policies) {
        Map<String, DerivedObligation> obligations = new LinkedHashMap<>();
        for (CaseFact fact : CaseOrder.sort(facts)) {
            FactRef ref = FactRef.of(fact);
            for (DerivedObligation o : List.copyOf(obligations.values())) {
                if (o.outcome() == ObligationOutcome.OPEN && meets(fact, o)) {
                    obligations.put(o.id(), o.met(ref));
                }
            }
            for (DerivedObligation o : List.copyOf(obligations.values())) {
                if (o.outcome() == ObligationOutcome.OPEN) {
                    String why = cancels(fact, o);
                    if (why != null) {
                        obligations.put(o.id(), o.cancelled(ref, why));
                    }
                }
            }
            for (PolicyKind kind : PolicyKind.values()) {
                if (kind.startedBy().contains(fact.kind().eventType()) && policies.enabled(kind)
                        && obligations.values().stream().noneMatch(o -> o.outcome() == ObligationOutcome.OPEN
                        && o.policy() == kind && Objects.equals(o.subjectId(), subjectOf(kind, fact)))) {
                    String id = DerivedObligation.idOf(fact.caseId(), kind, fact.eventId());
                    obligations.putIfAbsent(id, new DerivedObligation(id, fact.caseId(), kind, subjectOf(kind, fact),
                            awaited(kind, fact), ref, DueDates.due(policies.get(kind), fact), ObligationOutcome.OPEN,
                            null, null));
                }
            }
        }
        return new ArrayList<>(obligations.values());
    }

    static boolean meets(CaseFact fact, DerivedObligation o) {
        return switch (o.policy()) {
            case ASSESSMENT_DUE, REASSESSMENT_DUE -> ASSESSMENTS.contains(fact.kind());
            case INVESTIGATION_DECISION_DUE -> fact.kind() == FactKind.INVESTIGATION_OPENED;
            case AMENDS_OFFER_DUE -> fact.kind() == FactKind.AMENDS_OFFERED;
            case AMENDS_PAYMENT_DUE -> (fact.kind() == FactKind.AMENDS_PAID || fact.kind() == FactKind.AMENDS_DECLINED)
                    && Objects.equals(fact.subjectId(), o.subjectId());
            case LETTER_REPLY_DUE -> fact.kind() == FactKind.LETTER_ANSWERED
                    && Objects.equals(fact.subjectId(), o.subjectId());
            case OPEN_TOO_LONG -> fact.kind() == FactKind.ACCOUNTABILITY_RECORD_CLOSED
                    || fact.kind() == FactKind.ALLEGATION_DISMISSED
                    || fact.kind() == FactKind.ALLEGATION_MARKED_DUPLICATE;
        };
    }

    /** Why the fact makes the open obligation moot, or null if it does not. */
    static String cancels(CaseFact fact, DerivedObligation o) {
        if (fact.kind() == FactKind.ACCOUNTABILITY_RECORD_CLOSED) {
            return "the case was closed (AccountabilityRecordClosed)";
        }
        if ((fact.kind() == FactKind.ALLEGATION_DISMISSED || fact.kind() == FactKind.ALLEGATION_MARKED_DUPLICATE)
                && MOOT_WITHOUT_ACKNOWLEDGEMENT.contains(o.policy())) {
            return "moot: the allegation was " + (fact.kind() == FactKind.ALLEGATION_DISMISSED
                    ? "dismissed" : "marked duplicate") + " (" + fact.kind().eventType() + ")";
        }
        return null;
    }

    static String subjectOf(PolicyKind kind, CaseFact fact) {
        return kind == PolicyKind.AMENDS_PAYMENT_DUE || kind == PolicyKind.LETTER_REPLY_DUE ? fact.subjectId() : null;
    }

    static String awaited(PolicyKind kind, CaseFact fact) {
        return switch (kind) {
            case ASSESSMENT_DUE -> "an assessment of the allegation (AllegationAcknowledged, AllegationDismissed or "
                    + "AllegationMarkedDuplicate)";
            case REASSESSMENT_DUE -> "a new assessment of the reopened allegation (AllegationAcknowledged, "
                    + "AllegationDismissed or AllegationMarkedDuplicate)";
            case INVESTIGATION_DECISION_DUE -> "an investigation to be opened (InvestigationOpened)";
            case AMENDS_OFFER_DUE -> "amends to be offered (AmendsOffered)";
            case AMENDS_PAYMENT_DUE -> "amends " + fact.subjectId() + " to be paid or declined (AmendsPaid or "
                    + "AmendsDeclined)";
            case LETTER_REPLY_DUE -> "an answer to letter " + fact.subjectId() + " (LetterAnswered)"
                    + (fact.responseDueOn() != null ? ", due on " + fact.responseDueOn() : "");
            case OPEN_TOO_LONG -> "the case to be closed (AccountabilityRecordClosed, or a dismissal or duplicate "
                    + "finding)";
        };
    }
}
