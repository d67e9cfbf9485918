package org.civharm.incident.domain;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.AllegationMarkedDuplicateEvent;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.HarmCount;
import org.civharm.contract.incident.Involvement;
import org.civharm.contract.incident.Range;
import org.civharm.incident.api.AllegationStatus;
import org.civharm.incident.api.FileAllegationCommand;
import org.civharm.incident.api.ReopenAllegationCommand;
import org.civharm.incident.config.AxonMongoConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.civharm.incident.support.AllegationMother.ACKNOWLEDGED_AT;
import static org.civharm.incident.support.AllegationMother.ACKNOWLEDGEMENT_COMMENT;
import static org.civharm.incident.support.AllegationMother.ACKNOWLEDGEMENT_STATEMENT;
import static org.civharm.incident.support.AllegationMother.ACTOR;
import static org.civharm.incident.support.AllegationMother.COALITION;
import static org.civharm.incident.support.AllegationMother.DISMISSAL_REASON;
import static org.civharm.incident.support.AllegationMother.DISMISSAL_STATEMENT;
import static org.civharm.incident.support.AllegationMother.DISMISSED_AT;
import static org.civharm.incident.support.AllegationMother.DUPLICATE_REASON;
import static org.civharm.incident.support.AllegationMother.MARKED_DUPLICATE_AT;
import static org.civharm.incident.support.AllegationMother.acknowledgeCommand;
import static org.civharm.incident.support.AllegationMother.acknowledgedEvent;
import static org.civharm.incident.support.AllegationMother.attachCommand;
import static org.civharm.incident.support.AllegationMother.dismissCommand;
import static org.civharm.incident.support.AllegationMother.dismissedEvent;
import static org.civharm.incident.support.AllegationMother.evidenceAttachedEvent;
import static org.civharm.incident.support.AllegationMother.figures;
import static org.civharm.incident.support.AllegationMother.fileCommand;
import static org.civharm.incident.support.AllegationMother.filedEvent;
import static org.civharm.incident.support.AllegationMother.markDuplicateCommand;
import static org.civharm.incident.support.AllegationMother.markedDuplicateEvent;
import static org.civharm.incident.support.AllegationMother.reopenCommand;
import static org.civharm.incident.support.AllegationMother.reopenedEvent;
import static org.civharm.incident.support.AllegationMother.reviseCommand;
import static org.civharm.incident.support.AllegationMother.revisedEvent;
import static org.civharm.incident.support.AllegationMother.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/**
 * The allegation aggregate, given/when/then: every command on its happy path and every transition it refuses.
 * Recorded-at times come from a fixed clock, so every expected event is exact.
 */
class AllegationTest {

    private static final String CASE = "RAQQA-2017-0628";
    private static final String OTHER_CASE = "RAQQA-2017-0628-AW";
    /** The instant the fixed clock reads: every event recorded by a command in these tests carries it. */
    private static final Instant NOW = Instant.parse("2018-08-01T09:30:00Z");
    /** Recorded-at of events given as history (recorded before the command under test). */
    private static final Instant EARLIER = Instant.parse("2018-01-15T12:00:00Z");

    private static final String HASH_1 = sha256(1);
    private static final String HASH_2 = sha256(2);
    private static final String HASH_3 = sha256(3);

    private FixtureConfiguration<Allegation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Allegation.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static AllegationFiledEvent filed() {
        return filedEvent(CASE, EARLIER);
    }

    @Nested
    class FileAllegation {

        @Test
        void filing_creates_the_case_with_every_field_and_the_clock_time() {
            fixture.givenNoPriorActivity()
                    .when(fileCommand(CASE))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(CASE)
                    .expectEvents(filedEvent(CASE, NOW));
        }

        @Test
        void missing_external_references_are_recorded_as_an_empty_list() {
            FileAllegationCommand c = fileCommand(CASE);
            FileAllegationCommand withoutReferences = new FileAllegationCommand(c.caseId(), c.source(),
                    c.reportTitle(), c.reportUrl(), c.filedOn(), c.incidentDate(), c.place(), c.operation(),
                    c.casualties(), c.belligerents(), c.weapon(), c.claimedTarget(), c.description(), null,
                    c.actor(), c.occurredAt());
            AllegationFiledEvent e = filedEvent(CASE, NOW);

            fixture.givenNoPriorActivity()
                    .when(withoutReferences)
                    .expectEvents(new AllegationFiledEvent(e.caseId(), e.source(), e.reportTitle(), e.reportUrl(),
                            e.filedOn(), e.incidentDate(), e.place(), e.operation(), e.casualties(),
                            e.belligerents(), e.weapon(), e.claimedTarget(), e.description(), List.of(), e.actor(),
                            e.occurredAt(), NOW));
        }
    }

    @Nested
    class AttachEvidence {

        @Test
        void first_evidence_item_is_E_1() {
            fixture.given(filed())
                    .when(attachCommand(CASE, HASH_1))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload("E-1")
                    .expectEvents(evidenceAttachedEvent(CASE, "E-1", HASH_1, NOW));
        }

        @Test
        void second_evidence_item_is_E_2() {
            fixture.given(filed(), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER))
                    .when(attachCommand(CASE, HASH_2))
                    .expectResultMessagePayload("E-2")
                    .expectEvents(evidenceAttachedEvent(CASE, "E-2", HASH_2, NOW));
        }

        @Test
        void hash_is_stored_in_lowercase() {
            fixture.given(filed())
                    .when(attachCommand(CASE, HASH_1.replace('0', 'A').toUpperCase()))
                    .expectResultMessagePayload("E-1")
                    .expectEvents(evidenceAttachedEvent(CASE, "E-1", HASH_1.replace('0', 'a'), NOW));
        }

        @Test
        void evidence_can_be_attached_to_an_assessed_case() {
            fixture.given(filed(), dismissedEvent(CASE, EARLIER))
                    .when(attachCommand(CASE, HASH_1))
                    .expectResultMessagePayload("E-1")
                    .expectEvents(evidenceAttachedEvent(CASE, "E-1", HASH_1, NOW));
        }

        @Test
        void the_same_sha256_twice_is_refused() {
            fixture.given(filed(), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER),
                            evidenceAttachedEvent(CASE, "E-2", HASH_2, EARLIER))
                    .when(attachCommand(CASE, HASH_2))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("SHA-256 " + HASH_2),
                            containsString("already attached to case " + CASE + " as E-2")));
        }

        @Test
        void the_same_sha256_in_other_letter_case_is_refused() {
            String stored = "ab".repeat(32);
            fixture.given(filed(), evidenceAttachedEvent(CASE, "E-1", stored, EARLIER))
                    .when(attachCommand(CASE, stored.toUpperCase()))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("already attached to case " + CASE + " as E-1"));
        }
    }

    @Nested
    class ReviseCasualtyFigures {

        @Test
        void first_revision_carries_old_and_new_figures_and_returns_1() {
            fixture.given(filed())
                    .when(reviseCommand(CASE, figures(12, 16)))
                    .expectResultMessagePayload(1)
                    .expectEvents(revisedEvent(CASE, 1, figures(8, 12), figures(12, 16), NOW));
        }

        @Test
        void second_revision_starts_from_the_first_revised_figures_and_returns_2() {
            fixture.given(filed(), revisedEvent(CASE, 1, figures(8, 12), figures(12, 16), EARLIER))
                    .when(reviseCommand(CASE, figures(8, 12)))
                    .expectResultMessagePayload(2)
                    .expectEvents(revisedEvent(CASE, 2, figures(12, 16), figures(8, 12), NOW));
        }

        @Test
        void figures_can_be_revised_after_an_acknowledgement() {
            fixture.given(filed(), acknowledgedEvent(CASE, 8, false, EARLIER))
                    .when(reviseCommand(CASE, figures(9, 12)))
                    .expectResultMessagePayload(1)
                    .expectEvents(revisedEvent(CASE, 1, figures(8, 12), figures(9, 12), NOW));
        }

        @Test
        void identical_figures_are_refused() {
            fixture.given(filed())
                    .when(reviseCommand(CASE, figures(8, 12)))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("same as the current figures of case " + CASE));
        }

        @Test
        void figures_identical_to_the_latest_revision_are_refused() {
            fixture.given(filed(), revisedEvent(CASE, 1, figures(8, 12), figures(12, 16), EARLIER))
                    .when(reviseCommand(CASE, figures(12, 16)))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("nothing to revise"));
        }

        @Test
        void a_change_only_in_the_injured_split_is_a_revision() {
            CasualtyFigures moreInjured = new CasualtyFigures(figures(8, 12).killed(),
                    new HarmCount(Range.of(4, 6), Range.exactly(1), null, null));
            fixture.given(filed())
                    .when(reviseCommand(CASE, moreInjured))
                    .expectResultMessagePayload(1)
                    .expectEvents(revisedEvent(CASE, 1, figures(8, 12), moreInjured, NOW));
        }
    }

    @Nested
    class Acknowledge {

        @Test
        void acknowledging_a_case_under_assessment_does_not_reverse_a_dismissal() {
            fixture.given(filed())
                    .when(acknowledgeCommand(CASE, 8))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(acknowledgedEvent(CASE, 8, false, NOW));
        }

        @Test
        void the_belligerent_name_is_matched_ignoring_case_and_surrounding_spaces() {
            fixture.given(filed())
                    .when(acknowledgeCommand(CASE, "  us-led coalition ", 8))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new AllegationAcknowledgedEvent(CASE, "  us-led coalition ", Range.exactly(8),
                            Range.none(), ACKNOWLEDGEMENT_STATEMENT, false, ACKNOWLEDGEMENT_COMMENT, ACTOR,
                            ACKNOWLEDGED_AT, NOW));
        }

        @Test
        void a_belligerent_not_named_on_the_case_is_refused() {
            fixture.given(filed())
                    .when(acknowledgeCommand(CASE, "Russian Military", 8))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("'Russian Military' is not named as a belligerent on case " + CASE),
                            containsString("us-led coalition")));
        }

        @Test
        void an_acknowledged_case_is_refused_and_pointed_to_accountability() {
            fixture.given(filed(), acknowledgedEvent(CASE, 8, false, EARLIER))
                    .when(acknowledgeCommand(CASE, 9))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("cannot acknowledge case " + CASE + ": it is already assessed CREDIBLE"),
                            containsString("followed up in accountability")));
        }

        @Test
        void a_dismissed_case_must_be_reopened_first() {
            fixture.given(filed(), dismissedEvent(CASE, EARLIER))
                    .when(acknowledgeCommand(CASE, 8))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("cannot acknowledge case " + CASE + ": it is already assessed NON_CREDIBLE"),
                            containsString("reopen it on new evidence first")));
        }

        @Test
        void a_duplicate_case_must_be_reopened_first() {
            fixture.given(filed(), markedDuplicateEvent(CASE, OTHER_CASE, EARLIER))
                    .when(acknowledgeCommand(CASE, 8))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("cannot acknowledge case " + CASE + ": it is already assessed DUPLICATE"),
                            containsString("reopen it on new evidence first")));
        }
    }

    @Nested
    class Dismiss {

        @Test
        void dismissing_a_case_under_assessment() {
            fixture.given(filed())
                    .when(dismissCommand(CASE))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(dismissedEvent(CASE, NOW));
        }

        @Test
        void a_belligerent_not_named_on_the_case_is_refused() {
            fixture.given(filed())
                    .when(dismissCommand(CASE, "Russian Military"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(
                            containsString("'Russian Military' is not named as a belligerent on case " + CASE));
        }

        @Test
        void a_second_named_belligerent_may_assess() {
            FileAllegationCommand c = fileCommand(CASE);
            AllegationFiledEvent e = filedEvent(CASE, EARLIER);
            List<Belligerent> two = List.of(new Belligerent(COALITION, Involvement.SUSPECTED),
                    new Belligerent("Syrian Democratic Forces", Involvement.SUSPECTED));
            AllegationFiledEvent filedWithTwo = new AllegationFiledEvent(e.caseId(), e.source(), e.reportTitle(),
                    e.reportUrl(), e.filedOn(), e.incidentDate(), e.place(), e.operation(), e.casualties(), two,
                    e.weapon(), e.claimedTarget(), e.description(), e.externalReferences(), c.actor(),
                    e.occurredAt(), EARLIER);

            fixture.given(filedWithTwo)
                    .when(dismissCommand(CASE, "Syrian Democratic Forces"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new AllegationDismissedEvent(CASE, "Syrian Democratic Forces", DISMISSAL_REASON,
                            DISMISSAL_STATEMENT, ACTOR, DISMISSED_AT, NOW));
        }

        @Test
        void an_acknowledged_case_cannot_be_dismissed() {
            fixture.given(filed(), acknowledgedEvent(CASE, 8, false, EARLIER))
                    .when(dismissCommand(CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("cannot dismiss case " + CASE + ": it is already assessed CREDIBLE"),
                            containsString("followed up in accountability")));
        }

        @Test
        void a_dismissed_case_cannot_be_dismissed_again_without_reopening() {
            fixture.given(filed(), dismissedEvent(CASE, EARLIER))
                    .when(dismissCommand(CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("cannot dismiss case " + CASE + ": it is already assessed NON_CREDIBLE"),
                            containsString("reopen it on new evidence first")));
        }

        @Test
        void a_duplicate_case_cannot_be_dismissed_without_reopening() {
            fixture.given(filed(), markedDuplicateEvent(CASE, OTHER_CASE, EARLIER))
                    .when(dismissCommand(CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("cannot dismiss case " + CASE + ": it is already assessed DUPLICATE"),
                            containsString("reopen it on new evidence first")));
        }
    }

    @Nested
    class MarkDuplicate {

        @Test
        void marking_a_case_under_assessment_as_duplicate() {
            fixture.given(filed())
                    .when(markDuplicateCommand(CASE, OTHER_CASE))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(markedDuplicateEvent(CASE, OTHER_CASE, NOW));
        }

        @Test
        void the_tracker_itself_may_find_a_duplicate_at_triage() {
            fixture.given(filed())
                    .when(markDuplicateCommand(CASE, OTHER_CASE, "civharm triage"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new AllegationMarkedDuplicateEvent(CASE, OTHER_CASE, "civharm triage",
                            DUPLICATE_REASON, ACTOR, MARKED_DUPLICATE_AT, NOW));
        }

        @Test
        void a_case_cannot_duplicate_itself() {
            fixture.given(filed())
                    .when(markDuplicateCommand(CASE, CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("case " + CASE + " cannot be a duplicate of itself"));
        }

        @Test
        void an_acknowledged_case_cannot_be_marked_duplicate() {
            fixture.given(filed(), acknowledgedEvent(CASE, 8, false, EARLIER))
                    .when(markDuplicateCommand(CASE, OTHER_CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("cannot mark as duplicate case " + CASE + ": it is already assessed CREDIBLE"),
                            containsString("followed up in accountability")));
        }

        @Test
        void a_dismissed_case_cannot_be_marked_duplicate_without_reopening() {
            fixture.given(filed(), dismissedEvent(CASE, EARLIER))
                    .when(markDuplicateCommand(CASE, OTHER_CASE))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("cannot mark as duplicate case " + CASE
                                    + ": it is already assessed NON_CREDIBLE"),
                            containsString("reopen it on new evidence first")));
        }

        @Test
        void a_duplicate_case_cannot_be_marked_duplicate_again_without_reopening() {
            fixture.given(filed(), markedDuplicateEvent(CASE, OTHER_CASE, EARLIER))
                    .when(markDuplicateCommand(CASE, "RAQQA-2017-0628-HRW"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(
                            containsString("cannot mark as duplicate case " + CASE + ": it is already assessed DUPLICATE"),
                            containsString("reopen it on new evidence first")));
        }

        @Test
        void a_reopened_case_can_be_marked_duplicate() {
            fixture.given(filed(), dismissedEvent(CASE, EARLIER), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER),
                            reopenedEvent(CASE, EARLIER, "E-1"))
                    .when(markDuplicateCommand(CASE, OTHER_CASE))
                    .expectEvents(markedDuplicateEvent(CASE, OTHER_CASE, NOW));
        }
    }

    @Nested
    class Reopen {

        @Test
        void a_dismissed_case_reopens_on_evidence_attached_after_the_dismissal() {
            fixture.given(filed(), dismissedEvent(CASE, EARLIER), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER))
                    .when(reopenCommand(CASE, "E-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(reopenedEvent(CASE, NOW, "E-1"));
        }

        @Test
        void a_duplicate_case_reopens_on_evidence_attached_after_the_finding() {
            fixture.given(filed(), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER),
                            markedDuplicateEvent(CASE, OTHER_CASE, EARLIER),
                            evidenceAttachedEvent(CASE, "E-2", HASH_2, EARLIER),
                            evidenceAttachedEvent(CASE, "E-3", HASH_3, EARLIER))
                    .when(reopenCommand(CASE, "E-3", "E-2"))
                    .expectEvents(reopenedEvent(CASE, NOW, "E-3", "E-2"));
        }

        @Test
        void a_case_under_assessment_cannot_be_reopened() {
            fixture.given(filed(), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER))
                    .when(reopenCommand(CASE, "E-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("case " + CASE + " is UNDER_ASSESSMENT"),
                            containsString("only a dismissed (non-credible) or duplicate case can be reopened")));
        }

        @Test
        void an_acknowledged_case_cannot_be_reopened() {
            fixture.given(filed(), acknowledgedEvent(CASE, 8, false, EARLIER),
                            evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER))
                    .when(reopenCommand(CASE, "E-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("case " + CASE + " is CREDIBLE"),
                            containsString("only a dismissed (non-credible) or duplicate case can be reopened")));
        }

        @Test
        void a_reopened_case_cannot_be_reopened_again() {
            fixture.given(filed(), dismissedEvent(CASE, EARLIER), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER),
                            reopenedEvent(CASE, EARLIER, "E-1"), evidenceAttachedEvent(CASE, "E-2", HASH_2, EARLIER))
                    .when(reopenCommand(CASE, "E-2"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("case " + CASE + " is REOPENED"),
                            containsString("only a dismissed (non-credible) or duplicate case can be reopened")));
        }

        @Test
        void evidence_attached_before_the_dismissal_does_not_justify_a_reopening() {
            fixture.given(filed(), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER), dismissedEvent(CASE, EARLIER))
                    .when(reopenCommand(CASE, "E-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("evidence [E-1] of case " + CASE),
                            containsString("not attached after the last assessment"),
                            containsString("new since then: []")));
        }

        @Test
        void evidence_attached_before_the_duplicate_finding_does_not_justify_a_reopening() {
            fixture.given(filed(), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER),
                            markedDuplicateEvent(CASE, OTHER_CASE, EARLIER))
                    .when(reopenCommand(CASE, "E-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("evidence [E-1] of case " + CASE));
        }

        @Test
        void unknown_evidence_ids_are_refused() {
            fixture.given(filed(), dismissedEvent(CASE, EARLIER), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER))
                    .when(reopenCommand(CASE, "E-9"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("evidence [E-9] of case " + CASE),
                            containsString("new since then: [E-1]")));
        }

        @Test
        void one_old_item_among_new_ones_refuses_the_reopening_and_is_named() {
            fixture.given(filed(), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER), dismissedEvent(CASE, EARLIER),
                            evidenceAttachedEvent(CASE, "E-2", HASH_2, EARLIER))
                    .when(reopenCommand(CASE, "E-2", "E-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("evidence [E-1] of case " + CASE),
                            not(containsString("evidence [E-2")), containsString("new since then: [E-2]")));
        }

        /* The web layer checks @NotEmpty; the aggregate holds the rule for every other sender of the command too. */
        @Test
        void a_reopening_without_any_evidence_is_refused() {
            fixture.given(filed(), dismissedEvent(CASE, EARLIER), evidenceAttachedEvent(CASE, "E-1", HASH_1, EARLIER))
                    .when(new ReopenAllegationCommand(CASE, List.of(), "no reason", ACTOR, Instant.EPOCH))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class);
        }
    }

    /** Dismissed as "not credible", then admitted after new evidence: the Raqqa story, through commands. */
    @Nested
    class RaqqaStory {

        @Test
        void filed_dismissed_evidence_reopened_then_acknowledged_reverses_the_dismissal() {
            fixture.givenCommands(fileCommand(CASE), dismissCommand(CASE), attachCommand(CASE, HASH_1),
                            reopenCommand(CASE, "E-1"))
                    .when(acknowledgeCommand(CASE, 8))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(acknowledgedEvent(CASE, 8, true, NOW));
        }

        @Test
        void the_whole_story_produces_its_events_in_order() {
            fixture.givenNoPriorActivity()
                    .when(fileCommand(CASE))
                    .expectEvents(filedEvent(CASE, NOW));
            fixture.givenCommands(fileCommand(CASE))
                    .when(dismissCommand(CASE))
                    .expectEvents(dismissedEvent(CASE, NOW));
            fixture.givenCommands(fileCommand(CASE), dismissCommand(CASE))
                    .when(attachCommand(CASE, HASH_1))
                    .expectResultMessagePayload("E-1")
                    .expectEvents(evidenceAttachedEvent(CASE, "E-1", HASH_1, NOW));
            fixture.givenCommands(fileCommand(CASE), dismissCommand(CASE), attachCommand(CASE, HASH_1))
                    .when(reopenCommand(CASE, "E-1"))
                    .expectEvents(reopenedEvent(CASE, NOW, "E-1"));
        }

        @Test
        void acknowledged_without_a_prior_dismissal_does_not_reverse_one() {
            fixture.givenCommands(fileCommand(CASE), attachCommand(CASE, HASH_1))
                    .when(acknowledgeCommand(CASE, 8))
                    .expectEvents(acknowledgedEvent(CASE, 8, false, NOW));
        }

        @Test
        void a_reopened_duplicate_that_is_acknowledged_reverses_no_dismissal() {
            fixture.givenCommands(fileCommand(CASE), markDuplicateCommand(CASE, OTHER_CASE),
                            attachCommand(CASE, HASH_1), reopenCommand(CASE, "E-1"))
                    .when(acknowledgeCommand(CASE, 8))
                    .expectEvents(acknowledgedEvent(CASE, 8, false, NOW));
        }

        @Test
        void after_a_second_dismissal_a_reopening_needs_evidence_newer_than_that_dismissal() {
            fixture.givenCommands(fileCommand(CASE), dismissCommand(CASE), attachCommand(CASE, HASH_1),
                            reopenCommand(CASE, "E-1"), attachCommand(CASE, HASH_2), dismissCommand(CASE))
                    .when(reopenCommand(CASE, "E-2"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(allOf(containsString("evidence [E-2] of case " + CASE),
                            containsString("not attached after the last assessment"),
                            containsString("new since then: []")));
        }

        @Test
        void after_a_second_dismissal_the_first_reopening_evidence_is_spent() {
            fixture.givenCommands(fileCommand(CASE), dismissCommand(CASE), attachCommand(CASE, HASH_1),
                            reopenCommand(CASE, "E-1"), dismissCommand(CASE))
                    .when(reopenCommand(CASE, "E-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("evidence [E-1] of case " + CASE));
        }

        @Test
        void after_a_second_dismissal_evidence_newer_than_it_reopens_and_acknowledgement_still_reverses() {
            fixture.givenCommands(fileCommand(CASE), dismissCommand(CASE), attachCommand(CASE, HASH_1),
                            reopenCommand(CASE, "E-1"), attachCommand(CASE, HASH_2), dismissCommand(CASE),
                            attachCommand(CASE, HASH_3))
                    .when(reopenCommand(CASE, "E-3"))
                    .expectEvents(reopenedEvent(CASE, NOW, "E-3"));

            fixture.givenCommands(fileCommand(CASE), dismissCommand(CASE), attachCommand(CASE, HASH_1),
                            reopenCommand(CASE, "E-1"), attachCommand(CASE, HASH_2), dismissCommand(CASE),
                            attachCommand(CASE, HASH_3), reopenCommand(CASE, "E-3"))
                    .when(acknowledgeCommand(CASE, 8))
                    .expectEvents(acknowledgedEvent(CASE, 8, true, NOW));
        }
    }

    /**
     * A long history (well past the production snapshot threshold of 50 events) rebuilds every piece of state the
     * handlers rely on: evidence numbering, hashes, revision count, status and the evidence since the last
     * assessment.
     */
    @Nested
    class LongHistory {

        private static final int ITEMS = 120;

        private List<Object> longHistory() {
            List<Object> events = new ArrayList<>();
            events.add(filed());
            for (int i = 1; i <= ITEMS; i++) {
                events.add(evidenceAttachedEvent(CASE, "E-" + i, sha256(1000 + i), EARLIER));
            }
            CasualtyFigures previous = figures(8, 12);
            for (int r = 1; r <= 10; r++) {
                CasualtyFigures revised = figures(8 + r, 12 + r);
                events.add(revisedEvent(CASE, r, previous, revised, EARLIER));
                previous = revised;
            }
            events.add(dismissedEvent(CASE, EARLIER));
            events.add(evidenceAttachedEvent(CASE, "E-" + (ITEMS + 1), sha256(5000), EARLIER));
            return events;
        }

        @Test
        void evidence_numbering_continues() {
            fixture.given(longHistory())
                    .when(attachCommand(CASE, sha256(9999)))
                    .expectResultMessagePayload("E-" + (ITEMS + 2))
                    .expectEvents(evidenceAttachedEvent(CASE, "E-" + (ITEMS + 2), sha256(9999), NOW));
        }

        @Test
        void every_earlier_hash_is_still_known() {
            fixture.given(longHistory())
                    .when(attachCommand(CASE, sha256(1057)))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("as E-57"));
        }

        @Test
        void revision_numbering_and_current_figures_continue() {
            fixture.given(longHistory())
                    .when(reviseCommand(CASE, figures(30, 40)))
                    .expectResultMessagePayload(11)
                    .expectEvents(revisedEvent(CASE, 11, figures(18, 22), figures(30, 40), NOW));
        }

        @Test
        void a_snapshot_written_by_the_production_snapshot_serializer_restores_every_field() throws Exception {
            Allegation original = stateAfterLongHistoryAndOneMoreItem();

            Serializer serializer = productionSnapshotSerializer();
            Allegation restored = serializer.deserialize(serializer.serialize(original, byte[].class));

            // Order-insensitive: the snapshot mapper refills the (final) LinkedHashSet field with a HashSet, which
            // only changes the order ids are listed in a refusal message (reported, not a state loss).
            assertThat(restored).usingRecursiveComparison().ignoringCollectionOrder().isEqualTo(original);
            assertThat(restored).extracting("evidenceHashes").asInstanceOf(MAP).hasSize(ITEMS + 2)
                    .containsEntry("E-57", sha256(1057));
            assertThat(restored).extracting("status").isEqualTo(AllegationStatus.NON_CREDIBLE);
            assertThat(restored).extracting("revisions").isEqualTo(10);
            assertThat(restored).extracting("everDismissed").isEqualTo(true);
        }

        @Test
        void commands_on_a_case_loaded_from_a_snapshot_behave_as_on_the_full_history() throws Exception {
            Serializer serializer = productionSnapshotSerializer();
            SerializedObject<byte[]> stored =
                    serializer.serialize(stateAfterLongHistoryAndOneMoreItem(), byte[].class);
            // sequence of the event the command above appended; a fresh copy each time, since the fixture applies
            // later events to the snapshot's payload instance
            long version = longHistory().size();
            Supplier<DomainEventMessage<Allegation>> snapshot = () -> new GenericDomainEventMessage<>(
                    "Allegation", CASE, version, serializer.<byte[], Allegation>deserialize(stored));

            // evidence attached after the dismissal (E-121, E-122) reopens; evidence from before it does not
            fixture.given(List.of(snapshot.get()))
                    .when(reopenCommand(CASE, "E-" + (ITEMS + 2), "E-" + (ITEMS + 1)))
                    .expectEvents(reopenedEvent(CASE, NOW, "E-" + (ITEMS + 2), "E-" + (ITEMS + 1)));
            fixture.given(List.of(snapshot.get()))
                    .when(reopenCommand(CASE, "E-1"))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("evidence [E-1] of case " + CASE));
            fixture.given(List.of(snapshot.get()))
                    .when(attachCommand(CASE, sha256(1001).toUpperCase()))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("as E-1"));
            fixture.given(List.of(snapshot.get()))
                    .when(attachCommand(CASE, sha256(7777)))
                    .expectResultMessagePayload("E-" + (ITEMS + 3));
            fixture.given(List.of(snapshot.get()))
                    .when(reviseCommand(CASE, figures(30, 40)))
                    .expectResultMessagePayload(11)
                    .expectEvents(revisedEvent(CASE, 11, figures(18, 22), figures(30, 40), NOW));
            fixture.given(List.of(snapshot.get()))
                    .when(acknowledgeCommand(CASE, 8))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("already assessed NON_CREDIBLE"));
            fixture.given(List.of(snapshot.get(), reopenedEvent(CASE, EARLIER, "E-" + (ITEMS + 1))))
                    .when(acknowledgeCommand(CASE, "Russian Military", 8))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("not named as a belligerent"));
            fixture.given(List.of(snapshot.get(), reopenedEvent(CASE, EARLIER, "E-" + (ITEMS + 1))))
                    .when(acknowledgeCommand(CASE, 8))
                    .expectEvents(acknowledgedEvent(CASE, 8, true, NOW));
        }

        private Allegation stateAfterLongHistoryAndOneMoreItem() {
            AtomicReference<Allegation> loaded = new AtomicReference<>();
            fixture.given(longHistory())
                    .when(attachCommand(CASE, sha256(9999)))
                    .expectResultMessagePayload("E-" + (ITEMS + 2))
                    .expectState(loaded::set);
            assertThat(loaded.get()).isNotNull();
            return loaded.get();
        }

        /** The serializer incident-service configures for snapshots (package-private in the config package). */
        private Serializer productionSnapshotSerializer() throws Exception {
            Method factory = AxonMongoConfig.class.getDeclaredMethod("snapshotSerializer");
            factory.setAccessible(true);
            return (Serializer) factory.invoke(null);
        }

        @Test
        void only_evidence_after_the_dismissal_reopens() {
            fixture.given(longHistory())
                    .when(reopenCommand(CASE, "E-" + (ITEMS + 1)))
                    .expectEvents(reopenedEvent(CASE, NOW, "E-" + (ITEMS + 1)));
            fixture.given(longHistory())
                    .when(reopenCommand(CASE, "E-" + ITEMS))
                    .expectNoEvents()
                    .expectException(RefusedTransitionException.class)
                    .expectExceptionMessage(containsString("evidence [E-" + ITEMS + "] of case " + CASE));
        }
    }
}
