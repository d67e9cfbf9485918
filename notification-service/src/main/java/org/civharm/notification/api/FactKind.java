package org.civharm.notification.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * The events of the other services that matter to obligations, by their wire type name. Every other event type on
 * the consumed topics is ignored (it neither starts nor meets an obligation).
 */
public enum FactKind {
    ALLEGATION_FILED("AllegationFiled"),
    ALLEGATION_ACKNOWLEDGED("AllegationAcknowledged"),
    ALLEGATION_DISMISSED("AllegationDismissed"),
    ALLEGATION_MARKED_DUPLICATE("AllegationMarkedDuplicate"),
    ALLEGATION_REOPENED("AllegationReopened"),
    INVESTIGATION_OPENED("InvestigationOpened"),
    AMENDS_OFFERED("AmendsOffered"),
    AMENDS_PAID("AmendsPaid"),
    AMENDS_DECLINED("AmendsDeclined"),
    LETTER_SENT("LetterSent"),
    LETTER_ANSWERED("LetterAnswered"),
    ACCOUNTABILITY_RECORD_CLOSED("AccountabilityRecordClosed"),
    ACCOUNTABILITY_RECORD_REOPENED("AccountabilityRecordReopened");

    private final String eventType;

    FactKind(String eventType) {
        this.eventType = eventType;
    }

    /** The event's type name on the wire, e.g. {@code AllegationFiled}. */
    public String eventType() {
        return eventType;
    }

    public static Optional<FactKind> ofEventType(String eventType) {
        return Arrays.stream(values()).filter(k -> k.eventType.equals(eventType)).findFirst();
    }
}
