package org.civharm.accountability.views;

import org.civharm.accountability.api.AmendsStatus;
import org.civharm.accountability.api.Stage;
import org.civharm.contract.accountability.AmendsType;
import org.civharm.contract.accountability.Attribution;
import org.civharm.contract.accountability.DeclinedBy;
import org.civharm.contract.accountability.IhlViolationFinding;
import org.civharm.contract.accountability.InvestigatingBody;
import org.civharm.contract.accountability.InvestigationScope;
import org.civharm.contract.accountability.LetterKind;
import org.civharm.contract.accountability.Money;
import org.civharm.contract.accountability.OpeningTrigger;
import org.civharm.contract.accountability.Visibility;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The accountability record view: one document per case, rebuilt from the record's events. A mutable document
 * class on purpose — the projection applies one event at a time to it. {@code lastSequence} is the sequence number
 * of the last event applied; an event at or below it was applied already and is skipped (idempotent re-delivery).
 * Amounts are kept as decimal strings ({@link Amount}), never as binary floating point.
 */
public class AccountabilityRecordView {

    public String caseId;
    public Stage stage;
    public OpeningTrigger trigger;
    public String triggeringEventId;
    public String openingReason;
    public String openedBy;
    public Instant openedAt;
    public List<Investigation> investigations = new ArrayList<>();
    /** The current attribution (the latest); earlier ones stay in the event stream. */
    public List<Attribution> attributions = new ArrayList<>();
    /** Member states of the current attribution, for filtering. */
    public List<String> memberStates = new ArrayList<>();
    public String attributionBasis;
    public String attributedBy;
    public Instant attributedAt;
    public int attributionRevisions;
    public List<Explanation> explanations = new ArrayList<>();
    public List<Apology> apologies = new ArrayList<>();
    public List<Amends> amends = new ArrayList<>();
    public int amendsCount;
    public List<Letter> correspondence = new ArrayList<>();
    public int unansweredLetters;
    public boolean closed;
    public String closedReason;
    public String closedBy;
    public Instant closedAt;
    public int reopenings;
    public String lastReopeningReason;
    public Instant recordedAt;
    public Instant lastChangedAt;
    public long lastSequence;

    /** Recomputes {@link #stage} and the counters from the record's content. */
    public void derive() {
        boolean paid = amends.stream().anyMatch(a -> a.status == AmendsStatus.PAID);
        boolean investigationOpen = investigations.stream().anyMatch(i -> i.concludedAt == null);
        boolean concluded = investigations.stream().anyMatch(i -> i.concludedAt != null);
        stage = Stage.of(closed, paid, !amends.isEmpty(), investigationOpen, concluded);
        amendsCount = amends.size();
        unansweredLetters = (int) correspondence.stream().filter(l -> !l.answered).count();
    }

    /** An amount of money as stored in a view: the decimal as a string, exactly as recorded. */
    public record Amount(String amount, String currency) {
        static Amount of(Money money) {
            return money == null ? null : new Amount(money.amount().toPlainString(), money.currency());
        }

        public BigDecimal decimal() {
            return new BigDecimal(amount);
        }
    }

    /** One investigation, open or concluded. */
    public static class Investigation {
        public String investigationId;
        public InvestigatingBody conductedBy;
        public String bodyName;
        public List<InvestigationScope> scope = new ArrayList<>();
        public String openedBy;
        public Instant openedAt;
        public IhlViolationFinding ihlViolation;
        public String summary;
        public Boolean published;
        public String publicationReference;
        public String concludedBy;
        /** When the investigation was concluded; null while it is open. */
        public Instant concludedAt;
    }

    /** An explanation given to a family. */
    public static class Explanation {
        public String recipientFamilyReference;
        public String whatWasTargeted;
        public String why;
        public String precautionsTaken;
        public Visibility visibility;
        public String recordedBy;
        public Instant givenAt;
    }

    /** An apology. */
    public static class Apology {
        public String issuedBy;
        public String recipientFamilyReference;
        public String text;
        public Visibility visibility;
        public String recordedBy;
        public Instant issuedAt;
    }

    /** One amends offer and what became of it. */
    public static class Amends {
        public String amendsId;
        public AmendsType type;
        public String offeredBy;
        /** Null for amends in kind. */
        public Amount offer;
        public String recipientFamilyReference;
        public String description;
        public Instant offeredAt;
        public AmendsStatus status;
        public Amount paid;
        public LocalDate paidOn;
        public String paidTo;
        public DeclinedBy declinedBy;
        public String declinedByWhom;
        public String declineReason;
        public Instant settledAt;
        public String recordedBy;
    }

    /** A letter or request for information, answered or not. */
    public static class Letter {
        public String letterId;
        public LetterKind kind;
        public String from;
        public String to;
        public LocalDate sentOn;
        public String asked;
        public LocalDate responseDueOn;
        public boolean answered;
        public LocalDate answeredOn;
        public String answerSummary;
        public String recordedBy;
    }
}
