package org.civharm.accountability.domain;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.spring.stereotype.Aggregate;
import org.civharm.accountability.api.AmendsStatus;
import org.civharm.accountability.api.AnswerLetterCommand;
import org.civharm.accountability.api.AttributeResponsibilityCommand;
import org.civharm.accountability.api.CloseRecordCommand;
import org.civharm.accountability.api.ConcludeInvestigationCommand;
import org.civharm.accountability.api.DeclineAmendsCommand;
import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.IssueApologyCommand;
import org.civharm.accountability.api.OfferAmendsCommand;
import org.civharm.accountability.api.OpenAccountabilityRecordCommand;
import org.civharm.accountability.api.OpenInvestigationCommand;
import org.civharm.accountability.api.PayAmendsCommand;
import org.civharm.accountability.api.ProvideExplanationCommand;
import org.civharm.accountability.api.ReopenRecordCommand;
import org.civharm.accountability.api.SendLetterCommand;
import org.civharm.contract.accountability.AccountabilityRecordClosedEvent;
import org.civharm.contract.accountability.AccountabilityRecordOpenedEvent;
import org.civharm.contract.accountability.AccountabilityRecordReopenedEvent;
import org.civharm.contract.accountability.AmendsDeclinedEvent;
import org.civharm.contract.accountability.AmendsOfferedEvent;
import org.civharm.contract.accountability.AmendsPaidEvent;
import org.civharm.contract.accountability.AmendsType;
import org.civharm.contract.accountability.ApologyIssuedEvent;
import org.civharm.contract.accountability.ExplanationProvidedEvent;
import org.civharm.contract.accountability.InvestigationConcludedEvent;
import org.civharm.contract.accountability.InvestigationOpenedEvent;
import org.civharm.contract.accountability.LetterAnsweredEvent;
import org.civharm.contract.accountability.LetterSentEvent;
import org.civharm.contract.accountability.Money;
import org.civharm.contract.accountability.OpeningTrigger;
import org.civharm.contract.accountability.ResponsibilityAttributedEvent;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.integrity.EventHashes;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * What follows an allegation on record, for one case (same id as the allegation), rebuilt from its event stream.
 * <p>
 * The rules it keeps:
 * <ul>
 *   <li><b>Opening.</b> Automatically on an acknowledgement (the opener must have seen the case CREDIBLE), or by hand
 *       for a contested dismissal (the case must be NON_CREDIBLE as last seen on incident-service's topic). The case
 *       id is the aggregate id, so a second opening fails in the event store ("already open").</li>
 *   <li><b>Investigations.</b> One open at a time, numbered {@code INV-n}; only an open one can be concluded.</li>
 *   <li><b>Amends.</b> Numbered {@code AM-n}. Compensation and ex gratia offers carry an amount; other kinds may be in
 *       kind. Only a pending offer (neither paid nor declined) can be paid or declined; a payment is in the
 *       offer's currency (or without an amount for an offer in kind), for a positive amount, not dated before the
 *       offer.</li>
 *   <li><b>Correspondence.</b> Numbered {@code L-n}; the response is due on or after the day sent; only an unanswered
 *       letter can be answered, on or after the day it was sent.</li>
 *   <li><b>Closing.</b> Needs a reason; refused while an investigation is open or an amends offer is pending
 *       (conclude it, record the payment or the decline first). A closed record refuses every command except
 *       {@link ReopenRecordCommand} and {@link AnswerLetterCommand}: a reply that arrives after closure is still a
 *       fact with a date, and an unanswered letter must be able to become answered. Reopening needs a closed
 *       record.</li>
 * </ul>
 * Every event is linked into the record's hash chain ({@link EventHashes}): its hash and the previous event's hash
 * travel in the event's metadata ({@code eventHash}, {@code previousEventHash}), so the stored stream, the Kafka
 * envelopes and exports can be verified. The last hash is part of the state (and snapshots) and the position is the
 * aggregate's version, so no extra read is needed per command.
 * <p>
 * State refusals throw {@link RefusedTransitionException} (409); content that is wrong, alone or against the
 * record, throws {@link InvalidCommandException} (400, naming the field). Either way no event is applied.
 * The {@link Clock} parameter of each handler is injected by Axon, so tests control recorded-at times.
 */
@Aggregate(snapshotTriggerDefinition = "accountabilityRecordSnapshotTrigger")
public class AccountabilityRecord {

    @AggregateIdentifier
    private String caseId;
    private boolean closed;
    private String closedReason;
    private int investigationCount;
    /** Id of the open investigation, or null when none is open. */
    private String openInvestigationId;
    private Set<String> concludedInvestigations = new LinkedHashSet<>();
    /** amends id -> what the payment and decline rules need, in offer order. */
    private Map<String, OfferedAmends> amends = new LinkedHashMap<>();
    /** letter id -> what the answer rules need, in sending order. */
    private Map<String, SentLetter> letters = new LinkedHashMap<>();
    /** Hash of the last event of this stream (null before the first): the link for the next event. Kept in snapshots. */
    private String lastHash;

    /**
     * The part of an amends offer the rules need. A plain class with a no-arg constructor, for snapshots; with
     * value equality, so Axon's test fixture can compare the state a command leaves with the state its events rebuild.
     */
    static final class OfferedAmends {
        AmendsType type;
        /** Currency of the offer; null for amends in kind. */
        String currency;
        String recipientFamilyReference;
        LocalDate offeredOn;
        AmendsStatus status;

        OfferedAmends() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OfferedAmends other && type == other.type && Objects.equals(currency, other.currency)
                    && Objects.equals(recipientFamilyReference, other.recipientFamilyReference)
                    && Objects.equals(offeredOn, other.offeredOn) && status == other.status;
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, currency, recipientFamilyReference, offeredOn, status);
        }
    }

    /** The part of a letter the rules need. */
    static final class SentLetter {
        LocalDate sentOn;
        boolean answered;

        SentLetter() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SentLetter other && Objects.equals(sentOn, other.sentOn) && answered == other.answered;
        }

        @Override
        public int hashCode() {
            return Objects.hash(sentOn, answered);
        }
    }

    protected AccountabilityRecord() {
        // required by Axon to rebuild from events
    }

    @CommandHandler
    public AccountabilityRecord(OpenAccountabilityRecordCommand cmd, Clock clock) {
        if (cmd.trigger() == null) {
            throw new InvalidCommandException("trigger", "is required");
        }
        IncidentStatus seen = cmd.incidentStatus() == null ? IncidentStatus.UNKNOWN : cmd.incidentStatus();
        if (cmd.trigger() == OpeningTrigger.CONTESTED_DISMISSAL && seen != IncidentStatus.NON_CREDIBLE) {
            throw new RefusedTransitionException("an accountability record of case " + cmd.caseId()
                    + " can be opened by hand only for a dismissed case whose dismissal is contested; the case is "
                    + describe(seen) + (seen == IncidentStatus.CREDIBLE
                    ? " (its record is opened automatically from the acknowledgement)" : ""));
        }
        if (cmd.trigger() == OpeningTrigger.ACKNOWLEDGEMENT && seen != IncidentStatus.CREDIBLE) {
            throw new RefusedTransitionException("an accountability record of case " + cmd.caseId()
                    + " opens on an acknowledgement only when the case was assessed credible; it is " + describe(seen));
        }
        requireText("reason", cmd.reason());
        record(new AccountabilityRecordOpenedEvent(cmd.caseId(), cmd.trigger(), cmd.triggeringEventId(), cmd.reason(),
                cmd.actor(), cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public String handle(OpenInvestigationCommand cmd, Clock clock) {
        requireOpen("open an investigation");
        if (openInvestigationId != null) {
            throw new RefusedTransitionException("investigation " + openInvestigationId + " of case " + caseId
                    + " is still open; conclude it before opening another");
        }
        if (cmd.scope() == null || cmd.scope().isEmpty()) {
            throw new InvalidCommandException("scope", "must name at least one thing the investigation covers");
        }
        String investigationId = "INV-" + (investigationCount + 1);
        record(new InvestigationOpenedEvent(caseId, investigationId, cmd.conductedBy(), cmd.bodyName(),
                List.copyOf(new LinkedHashSet<>(cmd.scope())), cmd.actor(), cmd.occurredAt(), clock.instant()));
        return investigationId;
    }

    @CommandHandler
    public void handle(ConcludeInvestigationCommand cmd, Clock clock) {
        requireOpen("conclude an investigation");
        requireText("investigationId", cmd.investigationId());
        String id = cmd.investigationId();
        if (concludedInvestigations.contains(id)) {
            throw new RefusedTransitionException("investigation " + id + " of case " + caseId
                    + " was already concluded; its findings stay as recorded");
        }
        if (!id.equals(openInvestigationId)) {
            throw new RefusedTransitionException("cannot conclude investigation " + id + ": it was never opened on case "
                    + caseId + (openInvestigationId == null ? " (no investigation is open)"
                    : " (the open investigation is " + openInvestigationId + ")"));
        }
        if (cmd.published() && isBlank(cmd.publicationReference())) {
            throw new InvalidCommandException("publicationReference", "is required when the findings were published");
        }
        if (!cmd.published() && !isBlank(cmd.publicationReference())) {
            throw new InvalidCommandException("publicationReference", "applies only to published findings");
        }
        record(new InvestigationConcludedEvent(caseId, id, cmd.ihlViolation(), cmd.summary(), cmd.published(),
                cmd.publicationReference(), cmd.actor(), cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public void handle(AttributeResponsibilityCommand cmd, Clock clock) {
        requireOpen("attribute responsibility");
        if (cmd.attributions() == null || cmd.attributions().isEmpty()) {
            throw new InvalidCommandException("attributions", "must name at least one member state");
        }
        record(new ResponsibilityAttributedEvent(caseId, List.copyOf(cmd.attributions()), cmd.basis(), cmd.actor(),
                cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public void handle(ProvideExplanationCommand cmd, Clock clock) {
        requireOpen("record an explanation");
        record(new ExplanationProvidedEvent(caseId, cmd.recipientFamilyReference(), cmd.whatWasTargeted(), cmd.why(),
                cmd.precautionsTaken(), cmd.visibility(), cmd.actor(), cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public void handle(IssueApologyCommand cmd, Clock clock) {
        requireOpen("record an apology");
        record(new ApologyIssuedEvent(caseId, cmd.issuedBy(), cmd.recipientFamilyReference(), cmd.text(),
                cmd.visibility(), cmd.actor(), cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public String handle(OfferAmendsCommand cmd, Clock clock) {
        requireOpen("offer amends");
        if (cmd.offer() == null && (cmd.type() == AmendsType.COMPENSATION || cmd.type() == AmendsType.EX_GRATIA)) {
            throw new InvalidCommandException("offer", "is required for " + cmd.type() + " amends: the amount offered");
        }
        if (cmd.offer() != null) {
            requirePositive("offer", cmd.offer());
        }
        String amendsId = "AM-" + (amends.size() + 1);
        record(new AmendsOfferedEvent(caseId, amendsId, cmd.type(), cmd.offeredBy(), cmd.offer(),
                cmd.recipientFamilyReference(), cmd.description(), cmd.actor(), cmd.occurredAt(), clock.instant()));
        return amendsId;
    }

    @CommandHandler
    public void handle(PayAmendsCommand cmd, Clock clock) {
        requireOpen("record a payment");
        OfferedAmends offer = pendingAmends(cmd.amendsId(), "pay");
        if (offer.currency == null) {
            if (cmd.paid() != null) {
                throw new InvalidCommandException("paid", "must be absent: amends " + cmd.amendsId()
                        + " were offered in kind (" + offer.type + "); record the delivery without an amount");
            }
        } else {
            if (cmd.paid() == null) {
                throw new InvalidCommandException("paid", "is required: amends " + cmd.amendsId() + " were offered in "
                        + offer.currency);
            }
            requirePositive("paid", cmd.paid());
            if (!offer.currency.equals(cmd.paid().currency())) {
                throw new InvalidCommandException("paid.currency", "must be " + offer.currency + ", the currency of the "
                        + "offer " + cmd.amendsId() + " (was " + cmd.paid().currency() + ")");
            }
        }
        requireDate("paidOn", cmd.paidOn());
        if (cmd.paidOn().isBefore(offer.offeredOn)) {
            throw new InvalidCommandException("paidOn", "must not be before the offer was made (" + offer.offeredOn + ")");
        }
        String recipient = isBlank(cmd.recipientFamilyReference())
                ? offer.recipientFamilyReference : cmd.recipientFamilyReference();
        record(new AmendsPaidEvent(caseId, cmd.amendsId(), cmd.paid(), recipient, cmd.paidOn(), cmd.actor(),
                cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public void handle(DeclineAmendsCommand cmd, Clock clock) {
        requireOpen("record a declined offer");
        pendingAmends(cmd.amendsId(), "decline");
        record(new AmendsDeclinedEvent(caseId, cmd.amendsId(), cmd.declinedBy(), cmd.by(), cmd.reason(), cmd.actor(),
                cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public String handle(SendLetterCommand cmd, Clock clock) {
        requireOpen("record a letter");
        requireDate("sentOn", cmd.sentOn());
        requireDate("responseDueOn", cmd.responseDueOn());
        if (cmd.responseDueOn().isBefore(cmd.sentOn())) {
            throw new InvalidCommandException("responseDueOn", "must not be before sentOn (" + cmd.sentOn() + ")");
        }
        String letterId = "L-" + (letters.size() + 1);
        record(new LetterSentEvent(caseId, letterId, cmd.kind(), cmd.from(), cmd.to(), cmd.sentOn(), cmd.asked(),
                cmd.responseDueOn(), cmd.actor(), cmd.occurredAt(), clock.instant()));
        return letterId;
    }

    /** Allowed on a closed record too: the answer is a fact whenever it arrives. */
    @CommandHandler
    public void handle(AnswerLetterCommand cmd, Clock clock) {
        SentLetter letter = letters.get(cmd.letterId());
        if (letter == null) {
            throw new RefusedTransitionException("cannot record an answer to letter " + cmd.letterId()
                    + ": it was never sent on case " + caseId + " (letters on record: " + letters.keySet() + ")");
        }
        if (letter.answered) {
            throw new RefusedTransitionException("letter " + cmd.letterId() + " of case " + caseId
                    + " is already answered; the first answer stays on record");
        }
        requireDate("answeredOn", cmd.answeredOn());
        if (cmd.answeredOn().isBefore(letter.sentOn)) {
            throw new InvalidCommandException("answeredOn", "must not be before the letter was sent (" + letter.sentOn + ")");
        }
        record(new LetterAnsweredEvent(caseId, cmd.letterId(), cmd.answeredOn(), cmd.summary(), cmd.actor(),
                cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public void handle(CloseRecordCommand cmd, Clock clock) {
        if (closed) {
            throw new RefusedTransitionException("the accountability record of case " + caseId + " is already closed");
        }
        if (openInvestigationId != null) {
            throw new RefusedTransitionException("cannot close the accountability record of case " + caseId
                    + ": investigation " + openInvestigationId + " is still open; record its conclusion first");
        }
        List<String> pending = amends.entrySet().stream()
                .filter(e -> e.getValue().status == AmendsStatus.OFFERED).map(Map.Entry::getKey).toList();
        if (!pending.isEmpty()) {
            throw new RefusedTransitionException("cannot close the accountability record of case " + caseId
                    + ": amends " + pending + " are offered and neither paid nor declined; record what happened first");
        }
        requireText("reason", cmd.reason());
        record(new AccountabilityRecordClosedEvent(caseId, cmd.reason(), cmd.actor(), cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public void handle(ReopenRecordCommand cmd, Clock clock) {
        if (!closed) {
            throw new RefusedTransitionException("the accountability record of case " + caseId
                    + " is not closed; only a closed record can be reopened");
        }
        requireText("reason", cmd.reason());
        record(new AccountabilityRecordReopenedEvent(caseId, cmd.reason(), cmd.actor(), cmd.occurredAt(), clock.instant()));
    }

    /**
     * Applies an event linked into the case's hash chain (see {@link EventHashes}): its hash, over the JSON the store
     * keeps, its position and the previous event's hash, travels with the previous hash in the event's metadata, and
     * from there into the event store and the Kafka envelope.
     */
    private void record(AccountabilityEvent event) {
        String previous = lastHash == null ? EventHashes.GENESIS : lastHash;
        // the position Axon gives the event: one past the last event applied (also right after a snapshot)
        Long version = AggregateLifecycle.getVersion();
        long sequence = version == null ? 0 : version + 1;
        String hash = EventHashes.hash(event.caseId(), sequence, AccountabilityEvent.typeName(event.getClass()),
                previous, EventJson.tree(event));
        apply(event, MetaData.with(EventHashes.HASH, hash).and(EventHashes.PREVIOUS_HASH, previous));
    }

    /** Every sourcing handler calls this first: the chain's last link follows each event. */
    private void link(MetaData metaData) {
        lastHash = (String) metaData.get(EventHashes.HASH);
    }

    private void requireOpen(String action) {
        if (closed) {
            throw new RefusedTransitionException("cannot " + action + ": the accountability record of case " + caseId
                    + " is closed (" + closedReason + "); reopen it first");
        }
    }

    private OfferedAmends pendingAmends(String amendsId, String action) {
        OfferedAmends offer = amends.get(amendsId);
        if (offer == null) {
            throw new RefusedTransitionException("cannot " + action + " amends " + amendsId + ": they were never offered on case "
                    + caseId + " (offers on record: " + amends.keySet() + ")");
        }
        if (offer.status != AmendsStatus.OFFERED) {
            throw new RefusedTransitionException("cannot " + action + " amends " + amendsId + " of case " + caseId
                    + ": they are already " + offer.status.name().toLowerCase());
        }
        return offer;
    }

    private static void requirePositive(String field, Money money) {
        if (money.amount() == null || money.amount().compareTo(BigDecimal.ZERO) <= 0) {
            throw new InvalidCommandException(field + ".amount", "must be greater than 0");
        }
        if (isBlank(money.currency())) {
            throw new InvalidCommandException(field + ".currency", "is required");
        }
    }

    private static void requireText(String field, String value) {
        if (isBlank(value)) {
            throw new InvalidCommandException(field, "is required");
        }
    }

    private static void requireDate(String field, LocalDate value) {
        if (value == null) {
            throw new InvalidCommandException(field, "is required");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String describe(IncidentStatus status) {
        return status == IncidentStatus.UNKNOWN ? "not known (yet) from incident-service's published events" : status.name();
    }

    private static LocalDate dayOf(Instant instant) {
        return instant == null ? LocalDate.MIN : LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    @EventSourcingHandler
    void on(AccountabilityRecordOpenedEvent e, MetaData metaData) {
        link(metaData);
        caseId = e.caseId();
    }

    @EventSourcingHandler
    void on(InvestigationOpenedEvent e, MetaData metaData) {
        link(metaData);
        investigationCount++;
        openInvestigationId = e.investigationId();
    }

    @EventSourcingHandler
    void on(InvestigationConcludedEvent e, MetaData metaData) {
        link(metaData);
        concludedInvestigations.add(e.investigationId());
        if (e.investigationId().equals(openInvestigationId)) {
            openInvestigationId = null;
        }
    }

    @EventSourcingHandler
    void on(AmendsOfferedEvent e, MetaData metaData) {
        link(metaData);
        OfferedAmends offer = new OfferedAmends();
        offer.type = e.amendsType();
        offer.currency = e.offer() == null ? null : e.offer().currency();
        offer.recipientFamilyReference = e.recipientFamilyReference();
        offer.offeredOn = dayOf(e.occurredAt());
        offer.status = AmendsStatus.OFFERED;
        amends.put(e.amendsId(), offer);
    }

    @EventSourcingHandler
    void on(AmendsPaidEvent e, MetaData metaData) {
        link(metaData);
        amends.get(e.amendsId()).status = AmendsStatus.PAID;
    }

    @EventSourcingHandler
    void on(AmendsDeclinedEvent e, MetaData metaData) {
        link(metaData);
        amends.get(e.amendsId()).status = AmendsStatus.DECLINED;
    }

    @EventSourcingHandler
    void on(LetterSentEvent e, MetaData metaData) {
        link(metaData);
        SentLetter letter = new SentLetter();
        letter.sentOn = e.sentOn();
        letters.put(e.letterId(), letter);
    }

    @EventSourcingHandler
    void on(LetterAnsweredEvent e, MetaData metaData) {
        link(metaData);
        letters.get(e.letterId()).answered = true;
    }

    @EventSourcingHandler
    void on(AccountabilityRecordClosedEvent e, MetaData metaData) {
        link(metaData);
        closed = true;
        closedReason = e.reason();
    }

    @EventSourcingHandler
    void on(AccountabilityRecordReopenedEvent e, MetaData metaData) {
        link(metaData);
        closed = false;
        closedReason = null;
    }

    @EventSourcingHandler
    void on(ResponsibilityAttributedEvent e, MetaData metaData) {
        link(metaData);
    }

    @EventSourcingHandler
    void on(ExplanationProvidedEvent e, MetaData metaData) {
        link(metaData);
    }

    @EventSourcingHandler
    void on(ApologyIssuedEvent e, MetaData metaData) {
        link(metaData);
    }
}
