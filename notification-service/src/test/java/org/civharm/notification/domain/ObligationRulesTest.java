package org.civharm.notification.domain;

import org.civharm.notification.api.CaseFact;
import org.civharm.notification.api.FactKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.notification.domain.Facts.CASE;
import static org.civharm.notification.domain.Facts.day;

class ObligationRulesTest {

    private final Facts facts = new Facts();
    private final PolicySet defaults = PolicySet.defaults();

    private static DerivedObligation only(List<DerivedObligation> all, PolicyKind policy) {
        List<DerivedObligation> of = all.stream().filter(o -> o.policy() == policy).toList();
        assertThat(of).as("obligations of %s", policy).hasSize(1);
        return of.get(0);
    }

    @Test
    void a_filing_starts_the_assessment_clock_and_the_open_too_long_clock_at_its_occurred_at() {
        List<DerivedObligation> derived = ObligationRules.derive(List.of(
                facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0)), defaults);

        assertThat(derived).extracting(DerivedObligation::policy)
                .containsExactly(PolicyKind.ASSESSMENT_DUE, PolicyKind.OPEN_TOO_LONG);
        DerivedObligation assessment = only(derived, PolicyKind.ASSESSMENT_DUE);
        assertThat(assessment.id()).isEqualTo(CASE + ":assessment-due:e-filed");
        assertThat(assessment.outcome()).isEqualTo(ObligationOutcome.OPEN);
        assertThat(assessment.dueAt()).isEqualTo(Instant.parse("2017-07-30T00:00:00Z"));
        assertThat(assessment.start()).isEqualTo(new FactRef("e-filed", "AllegationFiled", Facts.T0));
        // filed in June: July, August, September are the three monthly cycles; still open on 1 October is overdue
        assertThat(only(derived, PolicyKind.OPEN_TOO_LONG).dueAt()).isEqualTo(Instant.parse("2017-10-01T00:00:00Z"));
    }

    @Test
    void any_assessment_meets_the_assessment_and_an_acknowledgement_starts_investigation_and_amends_clocks() {
        List<DerivedObligation> derived = ObligationRules.derive(List.of(
                facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0),
                facts.incident(FactKind.ALLEGATION_ACKNOWLEDGED, "e-ack", day(400))), defaults);

        DerivedObligation assessment = only(derived, PolicyKind.ASSESSMENT_DUE);
        assertThat(assessment.outcome()).isEqualTo(ObligationOutcome.MET);
        assertThat(assessment.closedBy().eventId()).isEqualTo("e-ack");
        assertThat(only(derived, PolicyKind.INVESTIGATION_DECISION_DUE).dueAt()).isEqualTo(day(460));
        assertThat(only(derived, PolicyKind.AMENDS_OFFER_DUE).dueAt()).isEqualTo(day(490));
        assertThat(only(derived, PolicyKind.OPEN_TOO_LONG).outcome()).isEqualTo(ObligationOutcome.OPEN);
    }

    @Test
    void the_raqqa_pattern_dismissed_reopened_then_acknowledged() {
        List<DerivedObligation> derived = ObligationRules.derive(List.of(
                facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0),
                facts.incident(FactKind.ALLEGATION_DISMISSED, "e-dismissed", day(200)),
                facts.incident(FactKind.ALLEGATION_REOPENED, "e-reopened", day(340)),
                facts.incident(FactKind.ALLEGATION_ACKNOWLEDGED, "e-ack", day(390))), defaults);

        assertThat(only(derived, PolicyKind.ASSESSMENT_DUE).closedBy().eventId()).isEqualTo("e-dismissed");
        DerivedObligation reassessment = only(derived, PolicyKind.REASSESSMENT_DUE);
        assertThat(reassessment.dueAt()).isEqualTo(day(370));
        assertThat(reassessment.outcome()).isEqualTo(ObligationOutcome.MET);
        assertThat(reassessment.closedBy().eventId()).isEqualTo("e-ack");
        // the dismissal met the first open-too-long; the reopening started another, still open
        assertThat(derived.stream().filter(o -> o.policy() == PolicyKind.OPEN_TOO_LONG))
                .extracting(DerivedObligation::outcome).containsExactly(ObligationOutcome.MET, ObligationOutcome.OPEN);
    }

    @Test
    void a_letter_is_due_by_its_own_date_and_met_only_by_its_own_answer() {
        List<DerivedObligation> derived = ObligationRules.derive(List.of(
                facts.letter(FactKind.LETTER_SENT, "e-l1", "L-1", LocalDate.parse("2017-08-14"), day(30)),
                facts.letter(FactKind.LETTER_SENT, "e-l2", "L-2", null, day(31)),
                facts.letter(FactKind.LETTER_ANSWERED, "e-a2", "L-2", null, day(35))), defaults);

        assertThat(derived).hasSize(2);
        DerivedObligation l1 = derived.get(0);
        assertThat(l1.subjectId()).isEqualTo("L-1");
        assertThat(l1.dueAt()).as("the whole due day is allowed").isEqualTo(Instant.parse("2017-08-15T00:00:00Z"));
        assertThat(l1.outcome()).isEqualTo(ObligationOutcome.OPEN);
        DerivedObligation l2 = derived.get(1);
        assertThat(l2.dueAt()).as("no date: 14 days after sending").isEqualTo(day(45));
        assertThat(l2.outcome()).isEqualTo(ObligationOutcome.MET);
    }

    @Test
    void amends_payment_is_per_amends_id_and_met_by_payment_or_declination() {
        List<DerivedObligation> derived = ObligationRules.derive(List.of(
                facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0),
                facts.incident(FactKind.ALLEGATION_ACKNOWLEDGED, "e-ack", day(10)),
                facts.amends(FactKind.AMENDS_OFFERED, "e-o1", "AM-1", day(50)),
                facts.amends(FactKind.AMENDS_OFFERED, "e-o2", "AM-2", day(51)),
                facts.amends(FactKind.AMENDS_DECLINED, "e-d2", "AM-2", day(60))), defaults);

        assertThat(only(derived, PolicyKind.AMENDS_OFFER_DUE).closedBy().eventId()).isEqualTo("e-o1");
        List<DerivedObligation> payments = derived.stream().filter(o -> o.policy() == PolicyKind.AMENDS_PAYMENT_DUE).toList();
        assertThat(payments).extracting(DerivedObligation::subjectId).containsExactly("AM-1", "AM-2");
        assertThat(payments).extracting(DerivedObligation::outcome).containsExactly(ObligationOutcome.OPEN, ObligationOutcome.MET);
        assertThat(payments.get(0).dueAt()).isEqualTo(day(110));
    }

    @Test
    void closing_the_case_meets_open_too_long_and_cancels_everything_else_still_open() {
        List<DerivedObligation> derived = ObligationRules.derive(List.of(
                facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0),
                facts.incident(FactKind.ALLEGATION_ACKNOWLEDGED, "e-ack", day(10)),
                facts.accountability(FactKind.INVESTIGATION_OPENED, "e-inv", day(20)),
                facts.letter(FactKind.LETTER_SENT, "e-l1", "L-1", LocalDate.parse("2017-09-01"), day(21)),
                facts.accountability(FactKind.ACCOUNTABILITY_RECORD_CLOSED, "e-closed", day(300))), defaults);

        assertThat(only(derived, PolicyKind.INVESTIGATION_DECISION_DUE).outcome()).isEqualTo(ObligationOutcome.MET);
        assertThat(only(derived, PolicyKind.OPEN_TOO_LONG).outcome()).isEqualTo(ObligationOutcome.MET);
        assertThat(only(derived, PolicyKind.OPEN_TOO_LONG).closedBy().eventId()).isEqualTo("e-closed");
        for (PolicyKind cancelled : List.of(PolicyKind.AMENDS_OFFER_DUE, PolicyKind.LETTER_REPLY_DUE)) {
            DerivedObligation o = only(derived, cancelled);
            assertThat(o.outcome()).as(cancelled.wireName()).isEqualTo(ObligationOutcome.CANCELLED);
            assertThat(o.reason()).contains("closed");
            assertThat(o.closedBy().eventId()).isEqualTo("e-closed");
        }
    }

    @Test
    void a_reopened_accountability_record_starts_open_too_long_again() {
        List<DerivedObligation> derived = ObligationRules.derive(List.of(
                facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0),
                facts.accountability(FactKind.ACCOUNTABILITY_RECORD_CLOSED, "e-closed", day(100)),
                facts.accountability(FactKind.ACCOUNTABILITY_RECORD_REOPENED, "e-reopened", day(200))), defaults);
        assertThat(derived.stream().filter(o -> o.policy() == PolicyKind.OPEN_TOO_LONG))
                .extracting(DerivedObligation::outcome).containsExactly(ObligationOutcome.MET, ObligationOutcome.OPEN);
    }

    @Test
    void the_result_does_not_depend_on_the_order_the_two_topics_were_read_in() {
        List<CaseFact> incident = List.of(
                facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0),
                facts.incident(FactKind.ALLEGATION_ACKNOWLEDGED, "e-ack", day(10)));
        List<CaseFact> accountability = List.of(
                facts.accountability(FactKind.INVESTIGATION_OPENED, "e-inv", day(10)),
                facts.amends(FactKind.AMENDS_OFFERED, "e-o1", "AM-1", day(40)),
                facts.letter(FactKind.LETTER_SENT, "e-l1", "L-1", LocalDate.parse("2017-09-01"), day(41)),
                facts.accountability(FactKind.ACCOUNTABILITY_RECORD_CLOSED, "e-closed", day(300)));
        List<CaseFact> inOrder = new ArrayList<>(incident);
        inOrder.addAll(accountability);
        List<DerivedObligation> expected = ObligationRules.derive(inOrder, defaults);
        // the acknowledgement and the investigation happened the same day: the incident fact goes first, so the
        // investigation meets the decision it started
        assertThat(only(expected, PolicyKind.INVESTIGATION_DECISION_DUE).outcome()).isEqualTo(ObligationOutcome.MET);

        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            List<CaseFact> shuffled = new ArrayList<>(inOrder);
            Collections.shuffle(shuffled, random);
            assertThat(ObligationRules.derive(shuffled, defaults)).containsExactlyInAnyOrderElementsOf(expected);
        }
        // accountability read entirely first (a replay of one topic running ahead of the other)
        List<CaseFact> accountabilityFirst = new ArrayList<>(accountability);
        accountabilityFirst.addAll(incident);
        assertThat(ObligationRules.derive(accountabilityFirst, defaults)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void a_disabled_policy_starts_nothing_and_a_changed_one_moves_due_dates() {
        PolicySet changed = defaults.change(Map.of(
                "assessment-due", new PolicySettings(null, 10, null, null),
                "open-too-long", new PolicySettings(false, null, null, null)), Instant.now(), "admin").result();
        List<DerivedObligation> derived = ObligationRules.derive(List.of(
                facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0)), changed);
        assertThat(derived).extracting(DerivedObligation::policy).containsExactly(PolicyKind.ASSESSMENT_DUE);
        assertThat(derived.get(0).dueAt()).isEqualTo(day(10));
    }

    @Test
    void a_dismissal_makes_pending_investigation_and_amends_obligations_moot() {
        List<DerivedObligation> derived = ObligationRules.derive(List.of(
                facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0),
                facts.incident(FactKind.ALLEGATION_ACKNOWLEDGED, "e-ack", day(10)),
                facts.incident(FactKind.ALLEGATION_DISMISSED, "e-dismissed", day(20))), defaults);
        assertThat(only(derived, PolicyKind.INVESTIGATION_DECISION_DUE).outcome()).isEqualTo(ObligationOutcome.CANCELLED);
        assertThat(only(derived, PolicyKind.AMENDS_OFFER_DUE).reason()).contains("moot").contains("dismissed");
    }

    @Test
    void a_fact_seen_twice_counts_once() {
        CaseFact filed = facts.incident(FactKind.ALLEGATION_FILED, "e-filed", Facts.T0);
        assertThat(ObligationRules.derive(List.of(filed, filed), defaults)).hasSize(2);
    }
}
