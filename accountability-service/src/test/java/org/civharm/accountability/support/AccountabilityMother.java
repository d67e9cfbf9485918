package org.civharm.accountability.support;

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
import org.civharm.contract.accountability.Attribution;
import org.civharm.contract.accountability.Certainty;
import org.civharm.contract.accountability.DeclinedBy;
import org.civharm.contract.accountability.ExplanationProvidedEvent;
import org.civharm.contract.accountability.IhlViolationFinding;
import org.civharm.contract.accountability.InvestigatingBody;
import org.civharm.contract.accountability.InvestigationConcludedEvent;
import org.civharm.contract.accountability.InvestigationOpenedEvent;
import org.civharm.contract.accountability.InvestigationScope;
import org.civharm.contract.accountability.LetterAnsweredEvent;
import org.civharm.contract.accountability.LetterKind;
import org.civharm.contract.accountability.LetterSentEvent;
import org.civharm.contract.accountability.Money;
import org.civharm.contract.accountability.OpeningTrigger;
import org.civharm.contract.accountability.ResponsibilityAttributedEvent;
import org.civharm.contract.accountability.ResponsibilityRole;
import org.civharm.contract.accountability.Visibility;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Object Mother: the one place that builds a valid accountability step — as a command, as the event it produces,
 * and as the JSON body of its endpoint. Modelled on the Raqqa case of 28 June 2017 (8 civilians acknowledged in
 * July 2018) and the letter to the US Secretary of Defense awaiting a reply.
 */
public final class AccountabilityMother {

    public static final String ACTOR = "caseworker.amal";
    public static final String FAMILY = "FAM-RQ-0628-01";
    public static final String ACKNOWLEDGEMENT_EVENT_ID = "70444967-4a09-4a6d-b7d8-f2b86037f90f";
    public static final String OPENING_REASON =
            "acknowledged as credible by US-led Coalition in CJTF-OIR Monthly Civilian Casualty Report, 26 July 2018; "
                    + "civilian deaths conceded: 8; reverses an earlier dismissal";
    public static final String CONTEST_REASON = "Airwars contests the dismissal: video of the destroyed house and two "
            + "witness statements place the strike on a family home";

    public static final Instant ACKNOWLEDGED_AT = Instant.parse("2018-07-26T00:00:00Z");
    public static final Instant CONTESTED_AT = Instant.parse("2018-01-20T00:00:00Z");
    public static final Instant INVESTIGATION_OPENED_AT = Instant.parse("2018-08-01T00:00:00Z");
    public static final Instant INVESTIGATION_CONCLUDED_AT = Instant.parse("2018-11-15T00:00:00Z");
    public static final Instant ATTRIBUTED_AT = Instant.parse("2019-02-01T00:00:00Z");
    public static final Instant EXPLAINED_AT = Instant.parse("2019-01-05T00:00:00Z");
    public static final Instant APOLOGISED_AT = Instant.parse("2019-01-05T00:00:00Z");
    public static final Instant OFFERED_AT = Instant.parse("2019-01-10T00:00:00Z");
    public static final LocalDate PAID_ON = LocalDate.parse("2019-02-20");
    public static final Instant PAID_AT = Instant.parse("2019-02-20T00:00:00Z");
    public static final Instant DECLINED_AT = Instant.parse("2019-02-01T00:00:00Z");
    public static final LocalDate SENT_ON = LocalDate.parse("2018-09-05");
    public static final LocalDate RESPONSE_DUE_ON = LocalDate.parse("2018-09-19");
    public static final Instant SENT_AT = Instant.parse("2018-09-05T00:00:00Z");
    public static final LocalDate ANSWERED_ON = LocalDate.parse("2018-12-03");
    public static final Instant ANSWERED_AT = Instant.parse("2018-12-03T00:00:00Z");
    public static final Instant CLOSED_AT = Instant.parse("2019-03-01T00:00:00Z");
    public static final Instant REOPENED_AT = Instant.parse("2019-06-01T00:00:00Z");

    public static final String BODY_NAME = "CJTF-OIR Civilian Casualty Assessment Cell";
    public static final List<InvestigationScope> SCOPE =
            List.of(InvestigationScope.FIELD_VISIT, InvestigationScope.WITNESS_INTERVIEWS, InvestigationScope.STRIKE_LOG_REVIEW);
    public static final String FINDINGS = "Strike on a Daesh fighting position in the adjacent building; 8 civilians "
            + "killed unintentionally; no violation of the law of armed conflict found";
    public static final String PUBLICATION = "CJTF-OIR Monthly Civilian Casualty Report, 15 November 2018";
    public static final List<Attribution> ATTRIBUTIONS = List.of(
            new Attribution("United States", ResponsibilityRole.STRIKE, Certainty.KNOWN),
            new Attribution("United Kingdom", ResponsibilityRole.SURVEILLANCE_INTELLIGENCE, Certainty.SUSPECTED));
    public static final String ATTRIBUTION_BASIS = "CJTF-OIR response to Airwars, 2019";
    public static final String TARGET = "Daesh fighting position in the adjacent building";
    public static final String WHY = "fighters were observed firing on partner forces from the building";
    public static final String PRECAUTIONS = "strike log review; no civilians observed in the 30 minutes before the strike";
    public static final String APOLOGY_BY = "United States Department of Defense";
    public static final String APOLOGY = "We are deeply sorry for the loss of your family members.";
    public static final String OFFERED_BY = "United States";
    public static final Money OFFER = new Money(new BigDecimal("2500.00"), "USD");
    public static final String AMENDS_DESCRIPTION = "condolence (ex gratia) payment to the family";
    public static final String DECLINE_REASON = "the family asks for an explanation and an acknowledgement first";
    public static final String LETTER_FROM = "Amnesty International";
    public static final String LETTER_TO = "US Secretary of Defense";
    public static final String ASKED = "Which member state carried out the strike, and will the family receive amends?";
    public static final String ANSWER = "The Department confirmed a US strike and referred the family to the "
            + "condolence payment programme";
    public static final String CLOSE_REASON = "amends paid; no further steps outstanding";
    public static final String REOPEN_REASON = "the family disputes the findings; two new witness statements";

    private AccountabilityMother() {
    }

    // ---- commands and the events they produce (aggregate tests) ----

    public static OpenAccountabilityRecordCommand openOnAcknowledgement(String caseId) {
        return new OpenAccountabilityRecordCommand(caseId, OpeningTrigger.ACKNOWLEDGEMENT, ACKNOWLEDGEMENT_EVENT_ID,
                IncidentStatus.CREDIBLE, OPENING_REASON, "accountability-service", ACKNOWLEDGED_AT);
    }

    public static AccountabilityRecordOpenedEvent openedOnAcknowledgement(String caseId, Instant recordedAt) {
        return new AccountabilityRecordOpenedEvent(caseId, OpeningTrigger.ACKNOWLEDGEMENT, ACKNOWLEDGEMENT_EVENT_ID,
                OPENING_REASON, "accountability-service", ACKNOWLEDGED_AT, recordedAt);
    }

    public static OpenAccountabilityRecordCommand openContested(String caseId, IncidentStatus seen) {
        return new OpenAccountabilityRecordCommand(caseId, OpeningTrigger.CONTESTED_DISMISSAL, null, seen,
                CONTEST_REASON, ACTOR, CONTESTED_AT);
    }

    public static AccountabilityRecordOpenedEvent openedContested(String caseId, Instant recordedAt) {
        return new AccountabilityRecordOpenedEvent(caseId, OpeningTrigger.CONTESTED_DISMISSAL, null, CONTEST_REASON,
                ACTOR, CONTESTED_AT, recordedAt);
    }

    public static OpenInvestigationCommand openInvestigation(String caseId) {
        return new OpenInvestigationCommand(caseId, InvestigatingBody.MILITARY_COMMAND, BODY_NAME, SCOPE, ACTOR,
                INVESTIGATION_OPENED_AT);
    }

    public static InvestigationOpenedEvent investigationOpened(String caseId, String investigationId, Instant recordedAt) {
        return new InvestigationOpenedEvent(caseId, investigationId, InvestigatingBody.MILITARY_COMMAND, BODY_NAME, SCOPE,
                ACTOR, INVESTIGATION_OPENED_AT, recordedAt);
    }

    public static ConcludeInvestigationCommand conclude(String caseId, String investigationId) {
        return new ConcludeInvestigationCommand(caseId, investigationId, IhlViolationFinding.NO, FINDINGS, true,
                PUBLICATION, ACTOR, INVESTIGATION_CONCLUDED_AT);
    }

    public static InvestigationConcludedEvent concluded(String caseId, String investigationId, Instant recordedAt) {
        return new InvestigationConcludedEvent(caseId, investigationId, IhlViolationFinding.NO, FINDINGS, true,
                PUBLICATION, ACTOR, INVESTIGATION_CONCLUDED_AT, recordedAt);
    }

    public static AttributeResponsibilityCommand attribute(String caseId) {
        return new AttributeResponsibilityCommand(caseId, ATTRIBUTIONS, ATTRIBUTION_BASIS, ACTOR, ATTRIBUTED_AT);
    }

    public static ResponsibilityAttributedEvent attributed(String caseId, Instant recordedAt) {
        return new ResponsibilityAttributedEvent(caseId, ATTRIBUTIONS, ATTRIBUTION_BASIS, ACTOR, ATTRIBUTED_AT, recordedAt);
    }

    public static ProvideExplanationCommand explain(String caseId) {
        return new ProvideExplanationCommand(caseId, FAMILY, TARGET, WHY, PRECAUTIONS, Visibility.PRIVATE, ACTOR,
                EXPLAINED_AT);
    }

    public static ExplanationProvidedEvent explained(String caseId, Instant recordedAt) {
        return new ExplanationProvidedEvent(caseId, FAMILY, TARGET, WHY, PRECAUTIONS, Visibility.PRIVATE, ACTOR,
                EXPLAINED_AT, recordedAt);
    }

    public static IssueApologyCommand apologise(String caseId) {
        return new IssueApologyCommand(caseId, APOLOGY_BY, FAMILY, APOLOGY, Visibility.PRIVATE, ACTOR, APOLOGISED_AT);
    }

    public static ApologyIssuedEvent apologised(String caseId, Instant recordedAt) {
        return new ApologyIssuedEvent(caseId, APOLOGY_BY, FAMILY, APOLOGY, Visibility.PRIVATE, ACTOR, APOLOGISED_AT,
                recordedAt);
    }

    public static OfferAmendsCommand offer(String caseId) {
        return offer(caseId, AmendsType.EX_GRATIA, OFFER);
    }

    public static OfferAmendsCommand offer(String caseId, AmendsType type, Money amount) {
        return new OfferAmendsCommand(caseId, type, OFFERED_BY, amount, FAMILY, AMENDS_DESCRIPTION, ACTOR, OFFERED_AT);
    }

    public static AmendsOfferedEvent offered(String caseId, String amendsId, Instant recordedAt) {
        return offered(caseId, amendsId, AmendsType.EX_GRATIA, OFFER, recordedAt);
    }

    public static AmendsOfferedEvent offered(String caseId, String amendsId, AmendsType type, Money amount,
                                             Instant recordedAt) {
        return new AmendsOfferedEvent(caseId, amendsId, type, OFFERED_BY, amount, FAMILY, AMENDS_DESCRIPTION, ACTOR,
                OFFERED_AT, recordedAt);
    }

    public static PayAmendsCommand pay(String caseId, String amendsId, Money paid) {
        return new PayAmendsCommand(caseId, amendsId, paid, null, PAID_ON, ACTOR, PAID_AT);
    }

    public static AmendsPaidEvent paid(String caseId, String amendsId, Money paid, Instant recordedAt) {
        return new AmendsPaidEvent(caseId, amendsId, paid, FAMILY, PAID_ON, ACTOR, PAID_AT, recordedAt);
    }

    public static DeclineAmendsCommand decline(String caseId, String amendsId) {
        return new DeclineAmendsCommand(caseId, amendsId, DeclinedBy.RECIPIENT, "family representative",
                DECLINE_REASON, ACTOR, DECLINED_AT);
    }

    public static AmendsDeclinedEvent declined(String caseId, String amendsId, Instant recordedAt) {
        return new AmendsDeclinedEvent(caseId, amendsId, DeclinedBy.RECIPIENT, "family representative", DECLINE_REASON,
                ACTOR, DECLINED_AT, recordedAt);
    }

    public static SendLetterCommand sendLetter(String caseId) {
        return new SendLetterCommand(caseId, LetterKind.LETTER, LETTER_FROM, LETTER_TO, SENT_ON, ASKED, RESPONSE_DUE_ON,
                ACTOR, SENT_AT);
    }

    public static LetterSentEvent letterSent(String caseId, String letterId, Instant recordedAt) {
        return new LetterSentEvent(caseId, letterId, LetterKind.LETTER, LETTER_FROM, LETTER_TO, SENT_ON, ASKED,
                RESPONSE_DUE_ON, ACTOR, SENT_AT, recordedAt);
    }

    public static AnswerLetterCommand answer(String caseId, String letterId) {
        return new AnswerLetterCommand(caseId, letterId, ANSWERED_ON, ANSWER, ACTOR, ANSWERED_AT);
    }

    public static LetterAnsweredEvent answered(String caseId, String letterId, Instant recordedAt) {
        return new LetterAnsweredEvent(caseId, letterId, ANSWERED_ON, ANSWER, ACTOR, ANSWERED_AT, recordedAt);
    }

    public static CloseRecordCommand close(String caseId) {
        return new CloseRecordCommand(caseId, CLOSE_REASON, ACTOR, CLOSED_AT);
    }

    public static AccountabilityRecordClosedEvent closed(String caseId, Instant recordedAt) {
        return new AccountabilityRecordClosedEvent(caseId, CLOSE_REASON, ACTOR, CLOSED_AT, recordedAt);
    }

    public static ReopenRecordCommand reopen(String caseId) {
        return new ReopenRecordCommand(caseId, REOPEN_REASON, ACTOR, REOPENED_AT);
    }

    public static AccountabilityRecordReopenedEvent reopened(String caseId, Instant recordedAt) {
        return new AccountabilityRecordReopenedEvent(caseId, REOPEN_REASON, ACTOR, REOPENED_AT, recordedAt);
    }

    // ---- JSON bodies of the endpoints (API tests); callers may change entries to make them invalid ----

    public static Map<String, Object> openRequest(String caseId) {
        return body("caseId", caseId, "reason", CONTEST_REASON, "occurredAt", CONTESTED_AT.toString());
    }

    public static Map<String, Object> investigationRequest() {
        return body("conductedBy", "MILITARY_COMMAND", "bodyName", BODY_NAME,
                "scope", new ArrayList<>(List.of("FIELD_VISIT", "WITNESS_INTERVIEWS", "STRIKE_LOG_REVIEW")),
                "occurredAt", INVESTIGATION_OPENED_AT.toString());
    }

    public static Map<String, Object> findingsRequest(String investigationId) {
        return body("investigationId", investigationId, "ihlViolation", "NO", "summary", FINDINGS, "published", true,
                "publicationReference", PUBLICATION, "occurredAt", INVESTIGATION_CONCLUDED_AT.toString());
    }

    public static Map<String, Object> attributionRequest() {
        return body("attributions", new ArrayList<>(List.of(
                        Map.of("memberState", "United States", "role", "STRIKE", "certainty", "KNOWN"),
                        Map.of("memberState", "United Kingdom", "role", "SURVEILLANCE_INTELLIGENCE", "certainty", "SUSPECTED"))),
                "basis", ATTRIBUTION_BASIS, "occurredAt", ATTRIBUTED_AT.toString());
    }

    public static Map<String, Object> explanationRequest() {
        return body("recipientFamilyReference", FAMILY, "whatWasTargeted", TARGET, "why", WHY,
                "precautionsTaken", PRECAUTIONS, "visibility", "PRIVATE", "occurredAt", EXPLAINED_AT.toString());
    }

    public static Map<String, Object> apologyRequest() {
        return body("issuedBy", APOLOGY_BY, "recipientFamilyReference", FAMILY, "text", APOLOGY,
                "visibility", "PRIVATE", "occurredAt", APOLOGISED_AT.toString());
    }

    public static Map<String, Object> amendsRequest(String amount, String currency) {
        return body("type", "EX_GRATIA", "offeredBy", OFFERED_BY,
                "offer", new LinkedHashMap<>(Map.of("amount", new BigDecimal(amount), "currency", currency)),
                "recipientFamilyReference", FAMILY, "description", AMENDS_DESCRIPTION, "occurredAt", OFFERED_AT.toString());
    }

    public static Map<String, Object> paymentRequest(String amount, String currency) {
        return body("paid", new LinkedHashMap<>(Map.of("amount", new BigDecimal(amount), "currency", currency)),
                "paidOn", PAID_ON.toString(), "occurredAt", PAID_AT.toString());
    }

    public static Map<String, Object> declineRequest() {
        return body("declinedBy", "RECIPIENT", "by", "family representative", "reason", DECLINE_REASON,
                "occurredAt", DECLINED_AT.toString());
    }

    public static Map<String, Object> letterRequest() {
        return body("kind", "LETTER", "from", LETTER_FROM, "to", LETTER_TO, "sentOn", SENT_ON.toString(),
                "asked", ASKED, "responseDueOn", RESPONSE_DUE_ON.toString(), "occurredAt", SENT_AT.toString());
    }

    public static Map<String, Object> replyRequest() {
        return body("answeredOn", ANSWERED_ON.toString(), "summary", ANSWER, "occurredAt", ANSWERED_AT.toString());
    }

    public static Map<String, Object> reasonRequest(String reason) {
        return body("reason", reason);
    }

    private static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            body.put((String) keyValues[i], keyValues[i + 1]);
        }
        return body;
    }
}
