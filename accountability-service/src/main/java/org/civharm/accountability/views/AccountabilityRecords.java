package org.civharm.accountability.views;

import org.civharm.accountability.api.AmendsStatus;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AccountabilityRecordClosedEvent;
import org.civharm.contract.accountability.AccountabilityRecordOpenedEvent;
import org.civharm.contract.accountability.AccountabilityRecordReopenedEvent;
import org.civharm.contract.accountability.AmendsDeclinedEvent;
import org.civharm.contract.accountability.AmendsOfferedEvent;
import org.civharm.contract.accountability.AmendsPaidEvent;
import org.civharm.contract.accountability.ApologyIssuedEvent;
import org.civharm.contract.accountability.Attribution;
import org.civharm.contract.accountability.ExplanationProvidedEvent;
import org.civharm.contract.accountability.InvestigationConcludedEvent;
import org.civharm.contract.accountability.InvestigationOpenedEvent;
import org.civharm.contract.accountability.LetterAnsweredEvent;
import org.civharm.contract.accountability.LetterSentEvent;
import org.civharm.contract.accountability.ResponsibilityAttributedEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.function.Consumer;

/**
 * How the record view follows from the record's events: a pure fold, used by the live projection and by the rebuild
 * from the event store, so the two cannot disagree.
 */
public final class AccountabilityRecords {

    private AccountabilityRecords() {
    }

    /** The view after the opening event. */
    public static AccountabilityRecordView opened(AccountabilityRecordOpenedEvent e, long sequence) {
        AccountabilityRecordView v = new AccountabilityRecordView();
        v.caseId = e.caseId();
        v.trigger = e.trigger();
        v.triggeringEventId = e.triggeringEventId();
        v.openingReason = e.reason();
        v.openedBy = e.actor();
        v.openedAt = e.occurredAt();
        v.recordedAt = e.recordedAt();
        v.lastChangedAt = e.recordedAt();
        v.lastSequence = sequence;
        return v;
    }

    /** Applies one later event to the view in place (the caller sets {@code lastSequence}). */
    public static void apply(AccountabilityRecordView v, AccountabilityEvent event) {
        if (event instanceof InvestigationOpenedEvent e) {
            AccountabilityRecordView.Investigation i = new AccountabilityRecordView.Investigation();
            i.investigationId = e.investigationId();
            i.conductedBy = e.conductedBy();
            i.bodyName = e.bodyName();
            i.scope = e.scope() == null ? new ArrayList<>() : new ArrayList<>(e.scope());
            i.openedBy = e.actor();
            i.openedAt = e.occurredAt();
            v.investigations.add(i);
        } else if (event instanceof InvestigationConcludedEvent e) {
            v.investigations.stream()
                    .filter(i -> i.investigationId.equals(e.investigationId()))
                    .findFirst()
                    .ifPresent(i -> {
                        i.ihlViolation = e.ihlViolation();
                        i.summary = e.summary();
                        i.published = e.published();
                        i.publicationReference = e.publicationReference();
                        i.concludedBy = e.actor();
                        i.concludedAt = e.occurredAt();
                    });
        } else if (event instanceof ResponsibilityAttributedEvent e) {
            if (!v.attributions.isEmpty()) {
                v.attributionRevisions++;
            }
            v.attributions = new ArrayList<>(e.attributions());
            v.memberStates = new ArrayList<>(new LinkedHashSet<>(e.attributions().stream()
                    .map(Attribution::memberState).toList()));
            v.attributionBasis = e.basis();
            v.attributedBy = e.actor();
            v.attributedAt = e.occurredAt();
        } else if (event instanceof ExplanationProvidedEvent e) {
            AccountabilityRecordView.Explanation x = new AccountabilityRecordView.Explanation();
            x.recipientFamilyReference = e.recipientFamilyReference();
            x.whatWasTargeted = e.whatWasTargeted();
            x.why = e.why();
            x.precautionsTaken = e.precautionsTaken();
            x.visibility = e.visibility();
            x.recordedBy = e.actor();
            x.givenAt = e.occurredAt();
            v.explanations.add(x);
        } else if (event instanceof ApologyIssuedEvent e) {
            AccountabilityRecordView.Apology a = new AccountabilityRecordView.Apology();
            a.issuedBy = e.issuedBy();
            a.recipientFamilyReference = e.recipientFamilyReference();
            a.text = e.text();
            a.visibility = e.visibility();
            a.recordedBy = e.actor();
            a.issuedAt = e.occurredAt();
            v.apologies.add(a);
        } else if (event instanceof AmendsOfferedEvent e) {
            AccountabilityRecordView.Amends a = new AccountabilityRecordView.Amends();
            a.amendsId = e.amendsId();
            a.type = e.amendsType();
            a.offeredBy = e.offeredBy();
            a.offer = AccountabilityRecordView.Amount.of(e.offer());
            a.recipientFamilyReference = e.recipientFamilyReference();
            a.description = e.description();
            a.offeredAt = e.occurredAt();
            a.status = AmendsStatus.OFFERED;
            a.recordedBy = e.actor();
            v.amends.add(a);
        } else if (event instanceof AmendsPaidEvent e) {
            amends(v, e.amendsId(), a -> {
                a.status = AmendsStatus.PAID;
                a.paid = AccountabilityRecordView.Amount.of(e.paid());
                a.paidOn = e.paidOn();
                a.paidTo = e.recipientFamilyReference();
                a.settledAt = e.occurredAt();
            });
        } else if (event instanceof AmendsDeclinedEvent e) {
            amends(v, e.amendsId(), a -> {
                a.status = AmendsStatus.DECLINED;
                a.declinedBy = e.declinedBy();
                a.declinedByWhom = e.by();
                a.declineReason = e.reason();
                a.settledAt = e.occurredAt();
            });
        } else if (event instanceof LetterSentEvent e) {
            AccountabilityRecordView.Letter l = new AccountabilityRecordView.Letter();
            l.letterId = e.letterId();
            l.kind = e.kind();
            l.from = e.from();
            l.to = e.to();
            l.sentOn = e.sentOn();
            l.asked = e.asked();
            l.responseDueOn = e.responseDueOn();
            l.recordedBy = e.actor();
            v.correspondence.add(l);
        } else if (event instanceof LetterAnsweredEvent e) {
            v.correspondence.stream()
                    .filter(l -> l.letterId.equals(e.letterId()))
                    .findFirst()
                    .ifPresent(l -> {
                        l.answered = true;
                        l.answeredOn = e.answeredOn();
                        l.answerSummary = e.summary();
                    });
        } else if (event instanceof AccountabilityRecordClosedEvent e) {
            v.closed = true;
            v.closedReason = e.reason();
            v.closedBy = e.actor();
            v.closedAt = e.occurredAt();
        } else if (event instanceof AccountabilityRecordReopenedEvent e) {
            v.closed = false;
            v.closedReason = null;
            v.closedBy = null;
            v.closedAt = null;
            v.reopenings++;
            v.lastReopeningReason = e.reason();
        } else if (event instanceof AccountabilityRecordOpenedEvent) {
            throw new IllegalArgumentException("the record of case " + v.caseId + " was opened already");
        }
        v.lastChangedAt = event.recordedAt();
    }

    private static void amends(AccountabilityRecordView v, String amendsId, Consumer<AccountabilityRecordView.Amends> change) {
        v.amends.stream().filter(a -> a.amendsId.equals(amendsId)).findFirst().ifPresent(change);
    }
}
