package org.civharm.accountability.domain;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.civharm.accountability.api.AnswerLetterCommand;
import org.civharm.accountability.api.AttributeResponsibilityCommand;
import org.civharm.accountability.api.ConcludeInvestigationCommand;
import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.OpenAccountabilityRecordCommand;
import org.civharm.accountability.api.OpenInvestigationCommand;
import org.civharm.accountability.api.PayAmendsCommand;
import org.civharm.accountability.api.SendLetterCommand;
import org.civharm.accountability.config.AxonMongoConfig;
import org.civharm.contract.accountability.AccountabilityRecordOpenedEvent;
import org.civharm.contract.accountability.AmendsOfferedEvent;
import org.civharm.contract.accountability.AmendsPaidEvent;
import org.civharm.contract.accountability.AmendsType;
import org.civharm.contract.accountability.IhlViolationFinding;
import org.civharm.contract.accountability.InvestigatingBody;
import org.civharm.contract.accountability.LetterKind;
import org.civharm.contract.accountability.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.accountability.support.AccountabilityMother.ACTOR;
import static org.civharm.accountability.support.AccountabilityMother.BODY_NAME;
import static org.civharm.accountability.support.AccountabilityMother.CLOSE_REASON;
import static org.civharm.accountability.support.AccountabilityMother.FAMILY;
import static org.civharm.accountability.support.AccountabilityMother.INVESTIGATION_OPENED_AT;
import static org.civharm.accountability.support.AccountabilityMother.OFFER;
import static org.civharm.accountability.support.AccountabilityMother.PAID_AT;
import static org.civharm.accountability.support.AccountabilityMother.PAID_ON;
import static org.civharm.accountability.support.AccountabilityMother.SCOPE;
import static org.civharm.accountability.support.AccountabilityMother.answer;
import static org.civharm.accountability.support.AccountabilityMother.answered;
import static org.civharm.accountability.support.AccountabilityMother.apologise;
import static org.civharm.accountability.support.AccountabilityMother.apologised;
import static org.civharm.accountability.support.AccountabilityMother.attribute;
import static org.civharm.accountability.support.AccountabilityMother.attributed;
import static org.civharm.accountability.support.AccountabilityMother.close;
import static org.civharm.accountability.support.AccountabilityMother.closed;
import static org.civharm.accountability.support.AccountabilityMother.conclude;
import static org.civharm.accountability.support.AccountabilityMother.concluded;
import static org.civharm.accountability.support.AccountabilityMother.decline;
import static org.civharm.accountability.support.AccountabilityMother.declined;
import static org.civharm.accountability.support.AccountabilityMother.explain;
import static org.civharm.accountability.support.AccountabilityMother.explained;
import static org.civharm.accountability.support.AccountabilityMother.investigationOpened;
import static org.civharm.accountability.support.AccountabilityMother.letterSent;
import static org.civharm.accountability.support.AccountabilityMother.offer;
import static org.civharm.accountability.support.AccountabilityMother.offered;
import static org.civharm.accountability.support.AccountabilityMother.openContested;
import static org.civharm.accountability.support.AccountabilityMother.openInvestigation;
import static org.civharm.accountability.support.AccountabilityMother.openOnAcknowledgement;
import static org.civharm.accountability.support.AccountabilityMother.openedContested;
import static org.civharm.accountability.support.AccountabilityMother.openedOnAcknowledgement;
import static org.civharm.accountability.support.AccountabilityMother.pay;
import static org.civharm.accountability.support.AccountabilityMother.paid;
import static org.civharm.accountability.support.AccountabilityMother.reopen;
import static org.civharm.accountability.support.AccountabilityMother.reopened;
import static org.civharm.accountability.support.AccountabilityMother.sendLetter;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

/**
 * The accountability record, given/when/then: every command on its happy path and every transition it refuses.
 * Recorded-at times come from a fixed clock, so every expected event is exact.
 */
class AccountabilityRecordTest {

    private static final String CASE = "RAQQA-2017-0628";
    /** The instant the fixed clock reads: every event recorded by a command in these tests carries it. */
    private static final Instant NOW = Instant.parse("2019-03-02T09:30:00Z");
    /** Recorded-at of events given as history. */
    private static final Instant EARLIER = Instant.parse("2018-12-01T12:00:00Z");

    private FixtureConfiguration<AccountabilityRecord> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(AccountabilityRecord.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static AccountabilityRecordOpenedEvent opened() {
        return openedOnAcknowledgement(CASE, EARLIER);
    }

    private static Money usd(String amount) {
        return new Money(new BigDecimal(amount), "USD");
    }

    @Nested
    class Opening {

        @Test
        void an_acknowledgement_opens_the_record() {
            fixture.givenNoPriorActivity()
                    .when(openOnAcknowledgement(CASE))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(openedOnAcknowledgement(CASE, NOW));
        }

        @Test
        void a_contested_dismissal_opens_the_record_by_hand() {
            fixture.givenNoPriorActivity()
                    .when(openContested(CASE, IncidentStatus.NON_CREDIBLE))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(openedContested(CASE, NOW));
        }

        @ParameterizedTest
        @EnumSource(value = IncidentStatus.class, names = "NON_CREDIBLE", mode = EnumSource.Mode.EXCLUDE)
        void a_case_that_is_not_dismissed_cannot_be_opened_by_hand(IncidentStatus seen) {
            fixture.givenNoPriorActivity()
                    .when(openContested(CASE, seen))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("can be opened by hand only for a dismissed case"),
                            containsString(seen == IncidentStatus.UNKNOWN ? "not known (yet)" : seen.name())));
        }

        @Test
        void an_acknowledged_case_names_the_automatic_opening() {
            fixture.givenNoPriorActivity()
                    .when(openContested(CASE, IncidentStatus.CREDIBLE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("opened automatically from the acknowledgement"));
        }

        @Test
        void an_automatic_opening_needs_a_credible_case() {
            var c = openOnAcknowledgement(CASE);
            fixture.givenNoPriorActivity()
                    .when(new OpenAccountabilityRecordCommand(CASE, c.trigger(),
                            c.triggeringEventId(), IncidentStatus.NON_CREDIBLE, c.reason(), c.actor(), c.occurredAt()))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("only when the case was assessed credible"));
        }

        @Test
        void an_opening_without_a_reason_is_invalid() {
            var c = openContested(CASE, IncidentStatus.NON_CREDIBLE);
            fixture.givenNoPriorActivity()
                    .when(new OpenAccountabilityRecordCommand(CASE, c.trigger(), null,
                            c.incidentStatus(), " ", c.actor(), c.occurredAt()))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage("reason is required");
        }
    }

    @Nested
    class Investigations {

        @Test
        void the_first_investigation_is_INV_1() {
            fixture.given(opened())
                    .when(openInvestigation(CASE))
                    .expectResultMessagePayload("INV-1")
                    .expectEvents(investigationOpened(CASE, "INV-1", NOW));
        }

        @Test
        void after_a_conclusion_the_next_investigation_is_INV_2() {
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER), concluded(CASE, "INV-1", EARLIER))
                    .when(openInvestigation(CASE))
                    .expectResultMessagePayload("INV-2")
                    .expectEvents(investigationOpened(CASE, "INV-2", NOW));
        }

        @Test
        void duplicate_scope_items_are_recorded_once() {
            fixture.given(opened())
                    .when(new OpenInvestigationCommand(CASE, InvestigatingBody.MILITARY_COMMAND,
                            BODY_NAME,
                            List.of(SCOPE.get(0),
                                    SCOPE.get(1),
                                    SCOPE.get(2),
                                    SCOPE.get(0)),
                            ACTOR, INVESTIGATION_OPENED_AT))
                    .expectEvents(investigationOpened(CASE, "INV-1", NOW));
        }

        @Test
        void only_one_investigation_is_open_at_a_time() {
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER))
                    .when(openInvestigation(CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("investigation INV-1 of case " + CASE + " is still open"));
        }

        @Test
        void an_investigation_without_scope_is_invalid() {
            fixture.given(opened())
                    .when(new OpenInvestigationCommand(CASE, InvestigatingBody.INDEPENDENT_BODY, "UN CoI", List.of(),
                            ACTOR, NOW))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class);
        }

        @Test
        void an_open_investigation_is_concluded_with_its_findings() {
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER))
                    .when(conclude(CASE, "INV-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(concluded(CASE, "INV-1", NOW));
        }

        @Test
        void concluding_an_investigation_never_opened_is_refused() {
            fixture.given(opened())
                    .when(conclude(CASE, "INV-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("cannot conclude investigation INV-1"),
                            containsString("never opened"), containsString("no investigation is open")));
        }

        @Test
        void concluding_another_investigation_than_the_open_one_is_refused() {
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER))
                    .when(conclude(CASE, "INV-7"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("the open investigation is INV-1"));
        }

        @Test
        void concluding_twice_is_refused() {
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER), concluded(CASE, "INV-1", EARLIER))
                    .when(conclude(CASE, "INV-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("INV-1 of case " + CASE + " was already concluded"));
        }

        @Test
        void published_findings_need_a_publication_reference() {
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER))
                    .when(new ConcludeInvestigationCommand(CASE, "INV-1", IhlViolationFinding.UNDETERMINED, "x", true,
                            null, ACTOR, NOW))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage(containsString("publicationReference"));
        }

        @Test
        void unpublished_findings_carry_no_publication_reference() {
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER))
                    .when(new ConcludeInvestigationCommand(CASE, "INV-1", IhlViolationFinding.YES, "x", false,
                            "somewhere", ACTOR, NOW))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage(containsString("applies only to published findings"));
        }
    }

    @Nested
    class AttributionExplanationApology {

        @Test
        void responsibility_is_attributed_to_member_states() {
            fixture.given(opened())
                    .when(attribute(CASE))
                    .expectEvents(attributed(CASE, NOW));
        }

        @Test
        void a_later_attribution_is_recorded_too() {
            fixture.given(opened(), attributed(CASE, EARLIER))
                    .when(attribute(CASE))
                    .expectEvents(attributed(CASE, NOW));
        }

        @Test
        void an_attribution_without_member_states_is_invalid() {
            fixture.given(opened())
                    .when(new AttributeResponsibilityCommand(CASE, List.of(), "basis", ACTOR, NOW))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage("attributions must name at least one member state");
        }

        @Test
        void an_explanation_is_recorded() {
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER))
                    .when(explain(CASE))
                    .expectEvents(explained(CASE, NOW));
        }

        @Test
        void an_apology_is_recorded() {
            fixture.given(opened())
                    .when(apologise(CASE))
                    .expectEvents(apologised(CASE, NOW));
        }
    }

    @Nested
    class Amends {

        @Test
        void the_first_offer_is_AM_1_and_the_second_AM_2() {
            fixture.given(opened())
                    .when(offer(CASE))
                    .expectResultMessagePayload("AM-1")
                    .expectEvents(offered(CASE, "AM-1", NOW));
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER), declined(CASE, "AM-1", EARLIER))
                    .when(offer(CASE))
                    .expectResultMessagePayload("AM-2")
                    .expectEvents(offered(CASE, "AM-2", NOW));
        }

        @Test
        void amends_in_kind_need_no_amount() {
            fixture.given(opened())
                    .when(offer(CASE, AmendsType.MEDICAL_CARE, null))
                    .expectEvents(offered(CASE, "AM-1", AmendsType.MEDICAL_CARE, null, NOW));
        }

        @Test
        void compensation_needs_an_amount() {
            fixture.given(opened())
                    .when(offer(CASE, AmendsType.COMPENSATION, null))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage(containsString("offer is required for COMPENSATION"));
        }

        @Test
        void an_offer_of_zero_is_invalid() {
            fixture.given(opened())
                    .when(offer(CASE, AmendsType.EX_GRATIA, usd("0.00")))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage("offer.amount must be greater than 0");
        }

        @Test
        void offered_amends_are_paid_in_the_offer_currency_to_the_offer_recipient() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER))
                    .when(pay(CASE, "AM-1", OFFER))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(CASE, "AM-1", OFFER, NOW));
        }

        @Test
        void a_payment_may_name_another_recipient_and_amount() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER))
                    .when(new PayAmendsCommand(CASE, "AM-1", usd("2000"), "FAM-RQ-0628-02", PAID_ON, ACTOR, PAID_AT))
                    .expectEvents(new AmendsPaidEvent(CASE, "AM-1", usd("2000"), "FAM-RQ-0628-02", PAID_ON, ACTOR,
                            PAID_AT, NOW));
        }

        @Test
        void amends_in_kind_are_delivered_without_an_amount() {
            fixture.given(opened(), offered(CASE, "AM-1", AmendsType.REPAIR, null, EARLIER))
                    .when(pay(CASE, "AM-1", null))
                    .expectEvents(paid(CASE, "AM-1", null, NOW));
        }

        @Test
        void paying_amends_never_offered_is_refused() {
            fixture.given(opened())
                    .when(pay(CASE, "AM-1", OFFER))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("cannot pay amends AM-1"),
                            containsString("never offered on case " + CASE)));
        }

        @Test
        void paying_twice_is_refused() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER), paid(CASE, "AM-1", OFFER, EARLIER))
                    .when(pay(CASE, "AM-1", OFFER))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("they are already paid"));
        }

        @Test
        void paying_declined_amends_is_refused() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER), declined(CASE, "AM-1", EARLIER))
                    .when(pay(CASE, "AM-1", OFFER))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("they are already declined"));
        }

        @Test
        void a_payment_in_another_currency_is_invalid() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER))
                    .when(pay(CASE, "AM-1", new Money(new BigDecimal("2500.00"), "EUR")))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage(allOf(containsString("paid.currency must be USD"), containsString("was EUR")));
        }

        @Test
        void a_payment_of_zero_is_invalid() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER))
                    .when(pay(CASE, "AM-1", usd("0")))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage("paid.amount must be greater than 0");
        }

        @Test
        void a_payment_of_money_offered_needs_an_amount() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER))
                    .when(pay(CASE, "AM-1", null))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage(containsString("paid is required"));
        }

        @Test
        void a_delivery_in_kind_carries_no_amount() {
            fixture.given(opened(), offered(CASE, "AM-1", AmendsType.MEDICAL_CARE, null, EARLIER))
                    .when(pay(CASE, "AM-1", OFFER))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage(containsString("offered in kind (MEDICAL_CARE)"));
        }

        @Test
        void a_payment_dated_before_the_offer_is_invalid() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER))
                    .when(new PayAmendsCommand(CASE, "AM-1", OFFER, null, LocalDate.parse("2018-12-31"), ACTOR, PAID_AT))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage(containsString("paidOn must not be before the offer was made (2019-01-10)"));
        }

        @Test
        void offered_amends_are_declined() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER))
                    .when(decline(CASE, "AM-1"))
                    .expectEvents(declined(CASE, "AM-1", NOW));
        }

        @Test
        void declining_amends_never_offered_is_refused() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER))
                    .when(decline(CASE, "AM-2"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("cannot decline amends AM-2"),
                            containsString("offers on record: [AM-1]")));
        }

        @Test
        void declining_paid_amends_is_refused() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER), paid(CASE, "AM-1", OFFER, EARLIER))
                    .when(decline(CASE, "AM-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("already paid"));
        }
    }

    @Nested
    class Correspondence {

        @Test
        void the_first_letter_is_L_1() {
            fixture.given(opened())
                    .when(sendLetter(CASE))
                    .expectResultMessagePayload("L-1")
                    .expectEvents(letterSent(CASE, "L-1", NOW));
        }

        @Test
        void a_response_due_before_the_letter_was_sent_is_invalid() {
            fixture.given(opened())
                    .when(new SendLetterCommand(CASE, LetterKind.REQUEST_FOR_INFORMATION, "Airwars", "CJTF-OIR",
                            LocalDate.parse("2018-09-05"), "strike log?", LocalDate.parse("2018-09-04"), ACTOR, NOW))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage("responseDueOn must not be before sentOn (2018-09-05)");
        }

        @Test
        void a_letter_is_answered() {
            fixture.given(opened(), letterSent(CASE, "L-1", EARLIER))
                    .when(answer(CASE, "L-1"))
                    .expectEvents(answered(CASE, "L-1", NOW));
        }

        @Test
        void answering_a_letter_never_sent_is_refused() {
            fixture.given(opened(), letterSent(CASE, "L-1", EARLIER))
                    .when(answer(CASE, "L-2"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("letter L-2: it was never sent"),
                            containsString("letters on record: [L-1]")));
        }

        @Test
        void answering_twice_is_refused() {
            fixture.given(opened(), letterSent(CASE, "L-1", EARLIER), answered(CASE, "L-1", EARLIER))
                    .when(answer(CASE, "L-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("L-1 of case " + CASE + " is already answered"));
        }

        @Test
        void an_answer_dated_before_the_letter_is_invalid() {
            fixture.given(opened(), letterSent(CASE, "L-1", EARLIER))
                    .when(new AnswerLetterCommand(CASE, "L-1", LocalDate.parse("2018-09-01"), "x", ACTOR, NOW))
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage("answeredOn must not be before the letter was sent (2018-09-05)");
        }
    }

    @Nested
    class ClosingAndReopening {

        @Test
        void a_record_is_closed_with_a_reason() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER), paid(CASE, "AM-1", OFFER, EARLIER))
                    .when(close(CASE))
                    .expectEvents(closed(CASE, NOW));
        }

        @Test
        void a_record_with_an_open_investigation_is_not_closed() {
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER))
                    .when(close(CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("investigation INV-1 is still open"));
        }

        @Test
        void a_record_with_pending_amends_is_not_closed() {
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER), offered(CASE, "AM-2", EARLIER),
                            declined(CASE, "AM-1", EARLIER))
                    .when(close(CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("amends [AM-2] are offered and neither paid nor declined"));
        }

        @Test
        void an_unanswered_letter_does_not_keep_a_record_open() {
            fixture.given(opened(), letterSent(CASE, "L-1", EARLIER))
                    .when(close(CASE))
                    .expectEvents(closed(CASE, NOW));
        }

        @Test
        void closing_twice_is_refused() {
            fixture.given(opened(), closed(CASE, EARLIER))
                    .when(close(CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("is already closed"));
        }

        @Test
        void a_closed_record_refuses_every_step_but_a_reply_and_a_reopening() {
            List<Object> refusedCommands = List.of(openInvestigation(CASE), attribute(CASE), explain(CASE),
                    apologise(CASE), offer(CASE), sendLetter(CASE));
            for (Object command : refusedCommands) {
                fixture.given(opened(), closed(CASE, EARLIER))
                        .when(command)
                        .expectNoEvents()
                        .expectException(RefusedTransitionException.class)
                        .expectExceptionMessage(allOf(containsString("is closed (" + closedReason() + ")"),
                                containsString("reopen it first")));
            }
            fixture.given(opened(), investigationOpened(CASE, "INV-1", EARLIER), concluded(CASE, "INV-1", EARLIER),
                            offered(CASE, "AM-1", EARLIER), declined(CASE, "AM-1", EARLIER), closed(CASE, EARLIER))
                    .when(conclude(CASE, "INV-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("reopen it first"));
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER), declined(CASE, "AM-1", EARLIER), closed(CASE, EARLIER))
                    .when(pay(CASE, "AM-1", OFFER))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("reopen it first"));
            fixture.given(opened(), offered(CASE, "AM-1", EARLIER), declined(CASE, "AM-1", EARLIER), closed(CASE, EARLIER))
                    .when(decline(CASE, "AM-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("reopen it first"));
        }

        @Test
        void a_reply_to_a_letter_is_recorded_on_a_closed_record() {
            fixture.given(opened(), letterSent(CASE, "L-1", EARLIER), closed(CASE, EARLIER))
                    .when(answer(CASE, "L-1"))
                    .expectEvents(answered(CASE, "L-1", NOW));
        }

        @Test
        void a_closed_record_is_reopened() {
            fixture.given(opened(), closed(CASE, EARLIER))
                    .when(reopen(CASE))
                    .expectEvents(reopened(CASE, NOW));
        }

        @Test
        void a_reopened_record_takes_new_steps() {
            fixture.given(opened(), closed(CASE, EARLIER), reopened(CASE, EARLIER))
                    .when(openInvestigation(CASE))
                    .expectResultMessagePayload("INV-1")
                    .expectEvents(investigationOpened(CASE, "INV-1", NOW));
        }

        @Test
        void reopening_a_record_that_is_not_closed_is_refused() {
            fixture.given(opened())
                    .when(reopen(CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("only a closed record can be reopened"));
            fixture.given(opened(), closed(CASE, EARLIER), reopened(CASE, EARLIER))
                    .when(reopen(CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class);
        }

        private String closedReason() {
            return CLOSE_REASON;
        }
    }

    /** The whole story through commands: what a caseworker records after the acknowledgement. */
    @Nested
    class RaqqaStory {

        @Test
        void investigation_findings_attribution_explanation_apology_letter_then_amends() {
            fixture.givenCommands(openOnAcknowledgement(CASE), openInvestigation(CASE), conclude(CASE, "INV-1"),
                            attribute(CASE), explain(CASE), apologise(CASE), sendLetter(CASE), answer(CASE, "L-1"))
                    .when(offer(CASE))
                    .expectResultMessagePayload("AM-1")
                    .expectEvents(offered(CASE, "AM-1", NOW));
        }

        @Test
        void paid_amends_let_the_record_close() {
            fixture.givenCommands(openOnAcknowledgement(CASE), offer(CASE), pay(CASE, "AM-1", OFFER))
                    .when(close(CASE))
                    .expectEvents(closed(CASE, NOW));
        }
    }

    /**
     * A long record (past the production snapshot threshold of 50 events) keeps every piece of state the handlers
     * rely on, and a snapshot written by the production snapshot serializer restores it exactly.
     */
    @Nested
    class LongHistoryAndSnapshots {

        private List<Object> history() {
            List<Object> events = new ArrayList<>();
            events.add(opened());
            for (int i = 1; i <= 30; i++) {
                events.add(letterSent(CASE, "L-" + i, EARLIER));
                if (i % 2 == 0) {
                    events.add(answered(CASE, "L-" + i, EARLIER));
                }
            }
            for (int i = 1; i <= 12; i++) {
                events.add(new AmendsOfferedEvent(CASE, "AM-" + i, AmendsType.COMPENSATION, "United States",
                        i % 4 == 0 ? new Money(new BigDecimal("1000.50"), "EUR") : OFFER, FAMILY, "payment " + i,
                        ACTOR, Instant.parse("2019-01-10T00:00:00Z"), EARLIER));
                if (i % 3 != 1) {
                    events.add(i % 2 == 0 ? paid(CASE, "AM-" + i, i % 4 == 0 ? new Money(new BigDecimal("1000.50"), "EUR")
                            : OFFER, EARLIER) : declined(CASE, "AM-" + i, EARLIER));
                }
            }
            events.add(investigationOpened(CASE, "INV-1", EARLIER));
            events.add(concluded(CASE, "INV-1", EARLIER));
            events.add(investigationOpened(CASE, "INV-2", EARLIER));
            return events;
        }

        @Test
        void numbering_and_refusals_continue_after_a_long_history() {
            fixture.given(history()).when(sendLetter(CASE)).expectResultMessagePayload("L-31");
            fixture.given(history()).when(answer(CASE, "L-2")).expectException(RefusedTransitionException.class);
            fixture.given(history()).when(answer(CASE, "L-29")).expectEvents(answered(CASE, "L-29", NOW));
            fixture.given(history()).when(pay(CASE, "AM-2", OFFER)).expectException(RefusedTransitionException.class);
            fixture.given(history()).when(pay(CASE, "AM-7", new Money(new BigDecimal("10"), "EUR")))
                    .expectException(InvalidCommandException.class);
            fixture.given(history()).when(offer(CASE)).expectResultMessagePayload("AM-13");
            fixture.given(history()).when(openInvestigation(CASE))
                    .expectExceptionMessage(containsString("INV-2 of case " + CASE + " is still open"));
            fixture.given(history()).when(conclude(CASE, "INV-2")).expectEvents(concluded(CASE, "INV-2", NOW));
        }

        @Test
        void a_snapshot_restores_every_field_and_commands_behave_as_on_the_full_history() throws Exception {
            AtomicReference<AccountabilityRecord> loaded = new AtomicReference<>();
            fixture.given(history()).when(sendLetter(CASE)).expectResultMessagePayload("L-31").expectState(loaded::set);
            AccountabilityRecord original = loaded.get();
            assertThat(original).isNotNull();

            Serializer serializer = productionSnapshotSerializer();
            SerializedObject<byte[]> stored = serializer.serialize(original, byte[].class);
            AccountabilityRecord restored = serializer.deserialize(stored);
            assertThat(restored).usingRecursiveComparison().ignoringCollectionOrder().isEqualTo(original);

            long version = history().size();
            Supplier<DomainEventMessage<AccountabilityRecord>> snapshot = () ->
                    new GenericDomainEventMessage<>("AccountabilityRecord", CASE, version,
                            serializer.<byte[], AccountabilityRecord>deserialize(stored));
            fixture.given(List.of(snapshot.get())).when(sendLetter(CASE)).expectResultMessagePayload("L-32");
            fixture.given(List.of(snapshot.get())).when(answer(CASE, "L-31")).expectEvents(answered(CASE, "L-31", NOW));
            fixture.given(List.of(snapshot.get())).when(answer(CASE, "L-30"))
                    .expectException(RefusedTransitionException.class);
            fixture.given(List.of(snapshot.get())).when(pay(CASE, "AM-4", new Money(new BigDecimal("5"), "USD")))
                    .expectExceptionMessage(containsString("paid.currency must be EUR"));
            fixture.given(List.of(snapshot.get())).when(pay(CASE, "AM-8", OFFER))
                    .expectExceptionMessage(containsString("already paid"));
            fixture.given(List.of(snapshot.get())).when(pay(CASE, "AM-1", OFFER))
                    .expectEvents(paid(CASE, "AM-1", OFFER, NOW));
            fixture.given(List.of(snapshot.get())).when(close(CASE))
                    .expectExceptionMessage(containsString("investigation INV-2 is still open"));
            fixture.given(List.of(snapshot.get())).when(conclude(CASE, "INV-1"))
                    .expectExceptionMessage(containsString("already concluded"));
        }

        private Serializer productionSnapshotSerializer() throws Exception {
            Method factory = AxonMongoConfig.class.getDeclaredMethod("snapshotSerializer");
            factory.setAccessible(true);
            return (Serializer) factory.invoke(null);
        }
    }
}
