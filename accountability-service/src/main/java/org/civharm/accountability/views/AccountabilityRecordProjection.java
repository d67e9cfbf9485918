package org.civharm.accountability.views;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.civharm.accountability.api.AmendsStatus;
import org.civharm.accountability.config.AxonMongoConfig;
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
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.function.Consumer;

/**
 * Maintains {@link AccountabilityRecordView} documents from this service's event store (tracking processor,
 * idempotent per case sequence).
 */
@Component
@ProcessingGroup(AxonMongoConfig.VIEWS)
public class AccountabilityRecordProjection {

    private final AccountabilityRecordRepository repository;

    public AccountabilityRecordProjection(AccountabilityRecordRepository repository) {
        this.repository = repository;
    }

    @EventHandler
    void on(AccountabilityRecordOpenedEvent e, @SequenceNumber long seq) {
        AccountabilityRecordView v = new AccountabilityRecordView();
        v.caseId = e.caseId();
        v.trigger = e.trigger();
        v.triggeringEventId = e.triggeringEventId();
        v.openingReason = e.reason();
        v.openedBy = e.actor();
        v.openedAt = e.occurredAt();
        v.recordedAt = e.recordedAt();
        v.lastChangedAt = e.recordedAt();
        v.lastSequence = seq;
        repository.insertIfAbsent(v);
    }

    @EventHandler
    void on(InvestigationOpenedEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> {
            AccountabilityRecordView.Investigation i = new AccountabilityRecordView.Investigation();
            i.investigationId = e.investigationId();
            i.conductedBy = e.conductedBy();
            i.bodyName = e.bodyName();
            i.scope = e.scope() == null ? new ArrayList<>() : new ArrayList<>(e.scope());
            i.openedBy = e.actor();
            i.openedAt = e.occurredAt();
            v.investigations.add(i);
        });
    }

    @EventHandler
    void on(InvestigationConcludedEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> v.investigations.stream()
                .filter(i -> i.investigationId.equals(e.investigationId()))
                .findFirst()
                .ifPresent(i -> {
                    i.ihlViolation = e.ihlViolation();
                    i.summary = e.summary();
                    i.published = e.published();
                    i.publicationReference = e.publicationReference();
                    i.concludedBy = e.actor();
                    i.concludedAt = e.occurredAt();
                }));
    }

    @EventHandler
    void on(ResponsibilityAttributedEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> {
            if (!v.attributions.isEmpty()) {
                v.attributionRevisions++;
            }
            v.attributions = new ArrayList<>(e.attributions());
            v.memberStates = new ArrayList<>(new LinkedHashSet<>(e.attributions().stream()
                    .map(Attribution::memberState).toList()));
            v.attributionBasis = e.basis();
            v.attributedBy = e.actor();
            v.attributedAt = e.occurredAt();
        });
    }

    @EventHandler
    void on(ExplanationProvidedEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> {
            AccountabilityRecordView.Explanation x = new AccountabilityRecordView.Explanation();
            x.recipientFamilyReference = e.recipientFamilyReference();
            x.whatWasTargeted = e.whatWasTargeted();
            x.why = e.why();
            x.precautionsTaken = e.precautionsTaken();
            x.visibility = e.visibility();
            x.recordedBy = e.actor();
            x.givenAt = e.occurredAt();
            v.explanations.add(x);
        });
    }

    @EventHandler
    void on(ApologyIssuedEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> {
            AccountabilityRecordView.Apology a = new AccountabilityRecordView.Apology();
            a.issuedBy = e.issuedBy();
            a.recipientFamilyReference = e.recipientFamilyReference();
            a.text = e.text();
            a.visibility = e.visibility();
            a.recordedBy = e.actor();
            a.issuedAt = e.occurredAt();
            v.apologies.add(a);
        });
    }

    @EventHandler
    void on(AmendsOfferedEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> {
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
        });
    }

    @EventHandler
    void on(AmendsPaidEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> amends(v, e.amendsId(), a -> {
            a.status = AmendsStatus.PAID;
            a.paid = AccountabilityRecordView.Amount.of(e.paid());
            a.paidOn = e.paidOn();
            a.paidTo = e.recipientFamilyReference();
            a.settledAt = e.occurredAt();
        }));
    }

    @EventHandler
    void on(AmendsDeclinedEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> amends(v, e.amendsId(), a -> {
            a.status = AmendsStatus.DECLINED;
            a.declinedBy = e.declinedBy();
            a.declinedByWhom = e.by();
            a.declineReason = e.reason();
            a.settledAt = e.occurredAt();
        }));
    }

    @EventHandler
    void on(LetterSentEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> {
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
        });
    }

    @EventHandler
    void on(LetterAnsweredEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> v.correspondence.stream()
                .filter(l -> l.letterId.equals(e.letterId()))
                .findFirst()
                .ifPresent(l -> {
                    l.answered = true;
                    l.answeredOn = e.answeredOn();
                    l.answerSummary = e.summary();
                }));
    }

    @EventHandler
    void on(AccountabilityRecordClosedEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> {
            v.closed = true;
            v.closedReason = e.reason();
            v.closedBy = e.actor();
            v.closedAt = e.occurredAt();
        });
    }

    @EventHandler
    void on(AccountabilityRecordReopenedEvent e, @SequenceNumber long seq) {
        update(e.caseId(), seq, e.recordedAt(), v -> {
            v.closed = false;
            v.closedReason = null;
            v.closedBy = null;
            v.closedAt = null;
            v.reopenings++;
            v.lastReopeningReason = e.reason();
        });
    }

    @ResetHandler
    void onReset() {
        repository.deleteAll();
    }

    private void update(String caseId, long seq, Instant recordedAt, Consumer<AccountabilityRecordView> change) {
        repository.update(caseId, seq, v -> {
            change.accept(v);
            v.lastChangedAt = recordedAt;
        });
    }

    private static void amends(AccountabilityRecordView v, String amendsId, Consumer<AccountabilityRecordView.Amends> change) {
        v.amends.stream().filter(a -> a.amendsId.equals(amendsId)).findFirst().ifPresent(change);
    }
}
