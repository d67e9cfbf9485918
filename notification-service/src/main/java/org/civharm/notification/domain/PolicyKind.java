package org.civharm.notification.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The deadlines civharm watches (DOMAIN.md, "Deadlines"). Each names the event that starts the clock, the events
 * that meet it, its unit and its default. What starts, meets and cancels each one is applied by
 * {@link ObligationRules}.
 */
public enum PolicyKind {

    ASSESSMENT_DUE("assessment-due", PolicyUnit.DAYS, 30,
            List.of("AllegationFiled"),
            List.of("AllegationAcknowledged", "AllegationDismissed", "AllegationMarkedDuplicate"),
            "a new allegation must be assessed by the belligerent within N days of filing"),
    REASSESSMENT_DUE("reassessment-due", PolicyUnit.DAYS, 30,
            List.of("AllegationReopened"),
            List.of("AllegationAcknowledged", "AllegationDismissed", "AllegationMarkedDuplicate"),
            "a reopened allegation must be re-assessed within N days of the reopening"),
    INVESTIGATION_DECISION_DUE("investigation-decision-due", PolicyUnit.DAYS, 60,
            List.of("AllegationAcknowledged"),
            List.of("InvestigationOpened"),
            "an acknowledged allegation must lead to an investigation being opened within N days"),
    AMENDS_OFFER_DUE("amends-offer-due", PolicyUnit.DAYS, 90,
            List.of("AllegationAcknowledged"),
            List.of("AmendsOffered"),
            "an acknowledged allegation must lead to amends being offered within N days"),
    AMENDS_PAYMENT_DUE("amends-payment-due", PolicyUnit.DAYS, 60,
            List.of("AmendsOffered"),
            List.of("AmendsPaid", "AmendsDeclined"),
            "offered amends must be paid (or declined) within N days of the offer"),
    LETTER_REPLY_DUE("letter-reply-due", PolicyUnit.DAYS_WHEN_NO_DUE_DATE, 14,
            List.of("LetterSent"),
            List.of("LetterAnswered"),
            "a letter or request for information must be answered by its own response due date (the whole day "
                    + "counts); a letter without one is due daysWhenNoDueDate days after it was sent"),
    OPEN_TOO_LONG("open-too-long", PolicyUnit.MONTHLY_CYCLES, 3,
            List.of("AllegationFiled", "AllegationReopened", "AccountabilityRecordReopened"),
            List.of("AccountabilityRecordClosed", "AllegationDismissed", "AllegationMarkedDuplicate"),
            "a case must not stay open through more than K monthly cycles: due at the start of the month after the "
                    + "K-th full calendar month (UTC) following the month it was filed or reopened");

    private final String wireName;
    private final PolicyUnit unit;
    private final int defaultValue;
    private final List<String> startedBy;
    private final List<String> metBy;
    private final String description;

    PolicyKind(String wireName, PolicyUnit unit, int defaultValue, List<String> startedBy, List<String> metBy,
               String description) {
        this.wireName = wireName;
        this.unit = unit;
        this.defaultValue = defaultValue;
        this.startedBy = startedBy;
        this.metBy = metBy;
        this.description = description;
    }

    /** The policy's name in configuration, the API and obligation ids, e.g. {@code assessment-due}. */
    public String wireName() {
        return wireName;
    }

    public PolicyUnit unit() {
        return unit;
    }

    public int defaultValue() {
        return defaultValue;
    }

    /** Type names of the events that start the clock. */
    public List<String> startedBy() {
        return startedBy;
    }

    /** Type names of the events that meet the obligation. */
    public List<String> metBy() {
        return metBy;
    }

    public String description() {
        return description;
    }

    public static Optional<PolicyKind> ofWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(PolicyKind::wireName).toList();
    }
}
