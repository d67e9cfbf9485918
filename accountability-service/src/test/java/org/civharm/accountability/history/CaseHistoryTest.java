package org.civharm.accountability.history;

import com.fasterxml.jackson.databind.JsonNode;
import org.civharm.accountability.support.AuditDataSet;
import org.civharm.accountability.support.AuditDataSetTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.accountability.support.AuditDataSet.RQ_0628;

/**
 * "What was on record on date X", across both services, checked against the Raqqa story published to the incident
 * topic: before the mid-2018 admission the case is dismissed (NON_CREDIBLE); after it, CREDIBLE with the deaths
 * conceded — 77 across the Raqqa 2017 cases of the fixed data set.
 */
class CaseHistoryTest extends AuditDataSetTest {

    /** Raw: the test client encodes the query. */
    private static final String SET = AuditDataSet.SET;
    private static final String RAQQA = AuditDataSet.RAQQA;

    @Test
    void the_case_file_as_recorded_before_and_after_the_admission() {
        JsonNode before = ok(get("/cases/" + RQ_0628 + "/file?order=recorded&asOf=" + AuditDataSet.BEFORE_ADMISSION));
        assertThat(before.get("count").asInt()).isEqualTo(2);
        assertThat(before.at("/state/incident/status").asText()).isEqualTo("NON_CREDIBLE");
        assertThat(before.at("/state/incident/dismissalReason").asText()).isEqualTo(AuditDataSet.DISMISSAL_REASON);
        assertThat(before.at("/state/incident/concededKilled").isMissingNode()).isTrue();
        assertThat(before.at("/state/accountability").isMissingNode()).isTrue();

        JsonNode after = ok(get("/cases/" + RQ_0628 + "/file?asOf=2018-08-01"));
        assertThat(after.get("count").asInt()).isEqualTo(6);
        assertThat(after.at("/state/incident/status").asText()).isEqualTo("CREDIBLE");
        assertThat(after.at("/state/incident/concededKilled/min").asInt()).isEqualTo(8);
        assertThat(after.at("/state/incident/dismissalReversed").asBoolean()).isTrue();
        assertThat(after.at("/state/incident/documented/killed/total").toString()).isEqualTo("{\"min\":9,\"max\":12}");

        JsonNode now = ok(get("/cases/" + RQ_0628 + "/file"));
        assertThat(now.get("count").asInt()).isEqualTo(11);
        assertThat(now.at("/state/accountability/stage").asText()).isEqualTo("AMENDS_PAID");
        assertThat(now.at("/state/accountability/amends/0/paid/amount").asText()).isEqualTo("2500.00");
        assertThat(now.get("entries").findValuesAsText("hash")).hasSize(11).doesNotContainNull();

        assertThat(status(get("/cases/" + RQ_0628 + "/file?asOf=2017-07-01T00:00:00Z"))).isEqualTo(404);
        assertThat(fields(get("/cases/" + RQ_0628 + "/file?asOf=yesterday"))).containsExactly("asOf");
    }

    @Test
    void the_replay_shows_when_the_dismissal_became_an_acknowledgement_and_who_recorded_it() {
        JsonNode steps = ok(get("/cases/" + RQ_0628 + "/replay"));
        assertThat(steps.size()).isEqualTo(11);
        List<String> changes = new ArrayList<>();
        steps.forEach(s -> s.get("changes").forEach(c -> changes.add(s.get("type").asText() + ": " + c.asText())));
        assertThat(changes).containsSubsequence(
                "AllegationFiled: incident status UNKNOWN -> UNDER_ASSESSMENT",
                "AllegationDismissed: incident status UNDER_ASSESSMENT -> NON_CREDIBLE",
                "AllegationReopened: incident status NON_CREDIBLE -> REOPENED",
                "AllegationAcknowledged: incident status REOPENED -> CREDIBLE",
                "AccountabilityRecordOpened: accountability stage none -> AWAITING_INVESTIGATION",
                "InvestigationOpened: accountability stage AWAITING_INVESTIGATION -> INVESTIGATING",
                "InvestigationConcluded: accountability stage INVESTIGATING -> CONCLUDED",
                "AmendsOffered: accountability stage CONCLUDED -> AMENDS_OFFERED",
                "AmendsPaid: accountability stage AMENDS_OFFERED -> AMENDS_PAID");
        JsonNode acknowledgement = steps.get(5);
        assertThat(acknowledgement.get("type").asText()).isEqualTo("AllegationAcknowledged");
        assertThat(acknowledgement.get("actor").asText()).isEqualTo(AuditDataSet.RECORDER);
        assertThat(acknowledgement.get("recordedAt").asText()).isEqualTo("2018-07-27T08:45:12Z");
        assertThat(acknowledgement.get("producedBy").asText()).isEqualTo("incident-service");
        assertThat(acknowledgement.get("hash").asText()).hasSize(64);
        assertThat(acknowledgement.at("/event/concededKilled/min").asInt()).isEqualTo(8);
        assertThat(acknowledgement.at("/stateAfter/incident/status").asText()).isEqualTo("CREDIBLE");
        assertThat(steps.get(1).at("/stateAfter/incident/status").asText()).isEqualTo("NON_CREDIBLE");
        assertThat(steps.get(6).get("actor").asText()).isEqualTo("accountability-service");
        assertThat(steps.get(10).get("actor").asText()).isEqualTo(AuditDataSet.RECORDER);
        assertThat(status(get("/cases/NO-SUCH-CASE/replay"))).isEqualTo(404);
    }

    @Test
    void the_register_as_of_a_date_with_documented_and_acknowledged_totals() {
        JsonNode before = ok(get("/register?operation=" + SET + "&asOf=" + AuditDataSet.BEFORE_ADMISSION));
        assertThat(before.get("total").asInt()).isEqualTo(8);
        assertThat(before.at("/totals/byStatus").toString())
                .isEqualTo("{\"UNDER_ASSESSMENT\":4,\"CREDIBLE\":1,\"NON_CREDIBLE\":2,\"DUPLICATE\":1}");
        JsonNode dismissed = ok(get("/register?operation=" + SET + "&status=NON_CREDIBLE&asOf="
                + AuditDataSet.BEFORE_ADMISSION));
        assertThat(dismissed.get("items").findValuesAsText("caseId")).containsExactly(RQ_0628, AuditDataSet.RQ_1012);

        JsonNode raqqaBefore = ok(get("/register?operation=" + RAQQA + "&asOf=" + AuditDataSet.BEFORE_ADMISSION));
        assertThat(raqqaBefore.at("/totals/acknowledgedKilled").toString()).isEqualTo("{\"min\":0,\"max\":0}");
        assertThat(raqqaBefore.at("/totals/documentedKilled").toString()).isEqualTo("{\"min\":85,\"max\":113}");
        JsonNode raqqaJuly = ok(get("/register?operation=" + RAQQA + "&asOf=" + AuditDataSet.BETWEEN_JUNE_AND_JULY_ADMISSIONS));
        assertThat(raqqaJuly.at("/totals/acknowledgedKilled/min").asInt()).isEqualTo(8);
        JsonNode raqqaAfter = ok(get("/register?operation=" + RAQQA + "&asOf=" + AuditDataSet.AFTER_ADMISSION));
        assertThat(raqqaAfter.at("/totals/acknowledgedKilled").toString())
                .isEqualTo("{\"min\":" + AuditDataSet.RAQQA_CONCEDED_KILLED + ",\"max\":77}");
        assertThat(raqqaAfter.at("/totals/documentedKilled").toString()).isEqualTo("{\"min\":86,\"max\":113}");
        assertThat(raqqaAfter.at("/totals/byStatus/CREDIBLE").asInt()).isEqualTo(5);

        JsonNode paged = ok(get("/register?operation=" + SET + "&page=1&size=3"));
        assertThat(paged.get("total").asInt()).isEqualTo(8);
        assertThat(paged.get("items").findValuesAsText("caseId")).containsExactly(AuditDataSet.RQ_0718,
                AuditDataSet.RQ_DUP, AuditDataSet.RQ_0801);
        assertThat(paged.at("/totals/acknowledgedKilled/min").asInt()).isEqualTo(AuditDataSet.TOTAL_CONCEDED_KILLED);
    }

    @Test
    void the_register_and_reports_as_of_a_date_on_the_occurred_timeline() {
        // dismissed on 2017-12-29, recorded on 2018-01-03: on 1 January it was on record as under assessment,
        // while in the world it had been dismissed already
        String newYear = "2018-01-01T00:00:00Z";
        JsonNode recorded = ok(get("/register?operation=" + RAQQA + "&asOf=" + newYear));
        JsonNode occurred = ok(get("/register?operation=" + RAQQA + "&asOf=" + newYear + "&timeline=OCCURRED"));
        assertThat(statusOf(recorded, RQ_0628)).isEqualTo("UNDER_ASSESSMENT");
        assertThat(statusOf(occurred, RQ_0628)).isEqualTo("NON_CREDIBLE");
        assertThat(ok(get("/register?operation=" + RAQQA + "&asOf=" + newYear + "&timeline=RECORDED")))
                .isEqualTo(recorded);

        // acknowledged on 2018-07-26, recorded on 07-27: at the end of the 26th only the OCCURRED timeline concedes it
        String ackDay = "2018-07-26T12:00:00Z";
        JsonNode gapRecorded = ok(get("/reports/gap?operation=" + RAQQA + "&asOf=" + ackDay));
        JsonNode gapOccurred = ok(get("/reports/gap?operation=" + RAQQA + "&asOf=" + ackDay + "&timeline=OCCURRED"));
        assertThat(gapOccurred.at("/total/acknowledgedKilled/max").asInt())
                .isGreaterThan(gapRecorded.at("/total/acknowledgedKilled/max").asInt());
        String december = "/reports/monthly?month=2017-12&operation=" + RAQQA + "&asOf=" + newYear;
        assertThat(ok(get(december + "&timeline=OCCURRED")).at("/months/0/completed/nonCredible").asInt())
                .isEqualTo(ok(get(december)).at("/months/0/completed/nonCredible").asInt() + 1);

        assertThat(status(get("/register?timeline=WHENEVER"))).isEqualTo(400);
        assertThat(get("/register?timeline=WHENEVER").getBody()).contains("timeline");
        assertThat(status(get("/reports/annual?year=2017&timeline=recorded"))).isEqualTo(400);
    }

    private static String statusOf(JsonNode register, String caseId) {
        for (JsonNode item : register.get("items")) {
            if (item.get("caseId").asText().equals(caseId)) {
                return item.get("status").asText();
            }
        }
        throw new AssertionError(caseId + " not in the register: " + register);
    }
}
