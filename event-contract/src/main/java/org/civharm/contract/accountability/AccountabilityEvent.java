package org.civharm.contract.accountability;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * An event of the accountability context (accountability-service), published on
 * {@link org.civharm.contract.Topics#ACCOUNTABILITY_EVENTS}: what follows an allegation on record — investigation,
 * attribution, explanation, apology, amends and correspondence. Same case id as the allegation. Every event says who
 * recorded it, when the fact happened ({@code occurredAt}) and when civharm recorded it ({@code recordedAt}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AccountabilityRecordOpenedEvent.class, name = "AccountabilityRecordOpened"),
        @JsonSubTypes.Type(value = InvestigationOpenedEvent.class, name = "InvestigationOpened"),
        @JsonSubTypes.Type(value = InvestigationConcludedEvent.class, name = "InvestigationConcluded"),
        @JsonSubTypes.Type(value = ResponsibilityAttributedEvent.class, name = "ResponsibilityAttributed"),
        @JsonSubTypes.Type(value = ExplanationProvidedEvent.class, name = "ExplanationProvided"),
        @JsonSubTypes.Type(value = ApologyIssuedEvent.class, name = "ApologyIssued"),
        @JsonSubTypes.Type(value = AmendsOfferedEvent.class, name = "AmendsOffered"),
        @JsonSubTypes.Type(value = AmendsPaidEvent.class, name = "AmendsPaid"),
        @JsonSubTypes.Type(value = AmendsDeclinedEvent.class, name = "AmendsDeclined"),
        @JsonSubTypes.Type(value = LetterSentEvent.class, name = "LetterSent"),
        @JsonSubTypes.Type(value = LetterAnsweredEvent.class, name = "LetterAnswered"),
        @JsonSubTypes.Type(value = AccountabilityRecordClosedEvent.class, name = "AccountabilityRecordClosed"),
        @JsonSubTypes.Type(value = AccountabilityRecordReopenedEvent.class, name = "AccountabilityRecordReopened")
})
public sealed interface AccountabilityEvent permits AccountabilityRecordOpenedEvent, InvestigationOpenedEvent,
        InvestigationConcludedEvent, ResponsibilityAttributedEvent, ExplanationProvidedEvent, ApologyIssuedEvent,
        AmendsOfferedEvent, AmendsPaidEvent, AmendsDeclinedEvent, LetterSentEvent, LetterAnsweredEvent,
        AccountabilityRecordClosedEvent, AccountabilityRecordReopenedEvent {

    String caseId();

    /** Who recorded the step. */
    String actor();

    /** When the step happened in the world. */
    Instant occurredAt();

    /** When civharm recorded it. */
    Instant recordedAt();

    /** The type name used on the wire, e.g. {@code InvestigationOpened}. */
    static String typeName(Class<? extends AccountabilityEvent> type) {
        String simple = type.getSimpleName();
        return simple.endsWith("Event") ? simple.substring(0, simple.length() - "Event".length()) : simple;
    }
}
