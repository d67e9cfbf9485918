package org.civharm.notification.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PolicySetTest {

    private static final Instant NOW = Instant.parse("2025-03-01T08:00:00Z");

    @Test
    void defaults_follow_the_domain_deadlines() {
        PolicySet d = PolicySet.defaults();
        assertThat(d.policies()).hasSize(7);
        assertThat(d.get(PolicyKind.ASSESSMENT_DUE)).isEqualTo(new Policy(PolicyKind.ASSESSMENT_DUE, true, 30));
        assertThat(d.get(PolicyKind.REASSESSMENT_DUE).value()).isEqualTo(30);
        assertThat(d.get(PolicyKind.INVESTIGATION_DECISION_DUE).value()).isEqualTo(60);
        assertThat(d.get(PolicyKind.AMENDS_OFFER_DUE).value()).isEqualTo(90);
        assertThat(d.get(PolicyKind.AMENDS_PAYMENT_DUE).value()).isEqualTo(60);
        assertThat(d.get(PolicyKind.LETTER_REPLY_DUE).value()).isEqualTo(14);
        assertThat(d.get(PolicyKind.OPEN_TOO_LONG).value()).isEqualTo(3);
        assertThat(d.policies().values()).allMatch(Policy::enabled);
    }

    @Test
    void a_valid_change_applies_the_given_fields_and_keeps_the_others() {
        PolicySet.Change change = PolicySet.defaults().change(Map.of(
                "assessment-due", new PolicySettings(null, 45, null, null),
                "open-too-long", new PolicySettings(false, null, 6, null)), NOW, "admin.lina");
        assertThat(change.accepted()).isTrue();
        PolicySet set = change.result();
        assertThat(set.version()).isEqualTo(1);
        assertThat(set.updatedBy()).isEqualTo("admin.lina");
        assertThat(set.get(PolicyKind.ASSESSMENT_DUE)).isEqualTo(new Policy(PolicyKind.ASSESSMENT_DUE, true, 45));
        assertThat(set.get(PolicyKind.OPEN_TOO_LONG)).isEqualTo(new Policy(PolicyKind.OPEN_TOO_LONG, false, 6));
        assertThat(set.get(PolicyKind.AMENDS_OFFER_DUE).value()).isEqualTo(90);
    }

    @Test
    void every_bad_field_is_named_and_nothing_changes() {
        Map<String, PolicySettings> edits = new LinkedHashMap<>();
        edits.put("assessment-due", new PolicySettings(true, 0, null, null));
        edits.put("open-too-long", new PolicySettings(null, 10, null, null));
        edits.put("letter-reply-due", new PolicySettings(null, null, null, 4000));
        edits.put("annual-report-due", new PolicySettings(true, 10, null, null));
        edits.put("amends-payment-due", null);
        edits.put("reassessment-due", new PolicySettings(null, 20, null, null));
        PolicySet before = PolicySet.defaults();
        PolicySet.Change change = before.change(edits, NOW, "admin");
        assertThat(change.accepted()).isFalse();
        assertThat(change.result()).isSameAs(before);
        assertThat(change.problems()).extracting(Problem::field).containsExactly(
                "amends-payment-due", "annual-report-due", "assessment-due.days", "letter-reply-due.daysWhenNoDueDate",
                "open-too-long.days");
        assertThat(change.problems().get(2).message()).contains("between 1 and 3650");
        assertThat(change.problems().get(4).message()).contains("use monthlyCycles");
        assertThat(before.change(Map.of(), NOW, "admin").problems()).extracting(Problem::field).containsExactly("body");
    }
}
