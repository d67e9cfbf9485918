package org.civharm.accountability.reports;

import com.fasterxml.jackson.databind.JsonNode;
import org.civharm.accountability.config.Roles;
import org.civharm.accountability.support.AuditDataSet;
import org.civharm.accountability.support.AuditDataSetTest;
import org.civharm.accountability.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report and export endpoints over the fixed data set published to the incident topic, against the totals
 * computed by hand (see {@link AuditDataSet}): JSON and CSV, who may read what, nothing personal or free-text in what
 * the public role sees, every export recorded.
 */
class ReportsEndpointTest extends AuditDataSetTest {

    private static final String SET = AuditDataSet.SET;
    private static final String PUBLIC = TestTokens.bearer("public.reader", Roles.PUBLIC);
    private static final String AUDITOR = TestTokens.bearer("auditor.ines", Roles.AUDITOR);

    @Test
    void monthly_report_json_and_csv() {
        JsonNode july = ok(getAs("/reports/monthly?month=2018-07&operation=" + SET, PUBLIC)).at("/months/0");
        assertThat(july.get("month").asText()).isEqualTo("2018-07");
        assertThat(july.get("carriedOver").asInt()).isEqualTo(5);
        assertThat(july.get("newAllegations").asInt()).isZero();
        assertThat(july.get("reopened").asInt()).isZero();
        assertThat(july.get("completed").toString())
                .isEqualTo("{\"credible\":4,\"nonCredible\":0,\"duplicate\":0,\"total\":4}");
        assertThat(july.get("stillOpen").asInt()).isEqualTo(1);
        assertThat(july.get("balanced").asBoolean()).isTrue();

        JsonNode year = ok(getAs("/reports/monthly?month=2017-07&through=2018-07&operation=" + SET, PUBLIC));
        assertThat(year.get("months").size()).isEqualTo(13);
        year.get("months").forEach(m -> assertThat(m.get("balanced").asBoolean()).as(m.toString()).isTrue());

        JsonNode midJuly = ok(getAs("/reports/monthly?month=2018-07&operation=" + SET + "&asOf=2018-07-15", PUBLIC));
        assertThat(midJuly.at("/months/0/completed/total").asInt()).isZero();
        assertThat(midJuly.at("/months/0/stillOpen").asInt()).isEqualTo(5);

        ResponseEntity<String> csv = getAs("/reports/monthly?month=2018-06&through=2018-07&operation=" + SET + "&format=csv", PUBLIC);
        assertThat(status(csv)).isEqualTo(200);
        assertThat(csv.getHeaders().getContentType().toString()).startsWith("text/csv");
        assertThat(csv.getBody()).isEqualTo("month,carriedOver,new,reopened,completedCredible,completedNonCredible,"
                + "completedDuplicate,completedTotal,stillOpen,balanced\r\n"
                + "2018-06,4,0,2,1,0,0,1,5,true\r\n"
                + "2018-07,5,0,0,4,0,0,4,1,true\r\n");
        ResponseEntity<String> byAccept = getAs("/reports/monthly?month=2018-07&operation=" + SET, PUBLIC, "text/csv");
        assertThat(byAccept.getHeaders().getContentType().toString()).startsWith("text/csv");
        assertThat(byAccept.getBody()).endsWith("2018-07,5,0,0,4,0,0,4,1,true\r\n");

        assertThat(fields(getAs("/reports/monthly?month=July", PUBLIC))).containsExactly("month");
        assertThat(fields(getAs("/reports/monthly?month=2018-07&format=xml", PUBLIC))).containsExactly("format");
    }

    @Test
    void gap_report_documented_against_acknowledged() {
        JsonNode gap = ok(getAs("/reports/gap?operation=" + SET, PUBLIC));
        assertThat(gap.get("rows").size()).isEqualTo(7);
        JsonNode raqqa = gap.get("byOperation").get(2);
        assertThat(raqqa.get("operation").asText()).isEqualTo(AuditDataSet.RAQQA);
        assertThat(raqqa.get("documentedKilled").toString()).isEqualTo("{\"min\":86,\"max\":113}");
        assertThat(raqqa.get("acknowledgedKilled").toString()).isEqualTo("{\"min\":77,\"max\":77}");
        assertThat(raqqa.get("unacknowledgedKilled").toString()).isEqualTo("{\"min\":9,\"max\":36}");
        assertThat(gap.at("/total/documentedKilled").toString()).isEqualTo("{\"min\":195,\"max\":269}");
        assertThat(gap.at("/total/acknowledgedKilled").toString()).isEqualTo("{\"min\":182,\"max\":182}");
        assertThat(gap.at("/total/duplicatesExcluded").asInt()).isEqualTo(1);

        JsonNode before = ok(getAs("/reports/gap?operation=" + AuditDataSet.RAQQA + "&asOf="
                + AuditDataSet.BEFORE_ADMISSION, PUBLIC));
        assertThat(before.at("/total/acknowledgedKilled/max").asInt()).isZero();
        JsonNode byDate = ok(getAs("/reports/gap?operation=" + SET + "&from=2017-07-01&to=2017-07-31", PUBLIC));
        assertThat(byDate.at("/total/cases").asInt()).isEqualTo(2);

        String csv = getAs("/reports/gap?operation=" + SET + "&format=csv", PUBLIC).getBody();
        assertThat(csv.split("\r\n")).hasSize(1 + 7 + 3 + 1);
        assertThat(csv).contains("\r\n(all),(all),(all),7,6,1,195,269,182,182,13,87,43,84,15,15,28,69\r\n");
    }

    @Test
    void annual_report_in_the_ndaa_shape() {
        JsonNode annual = ok(getAs("/reports/annual?year=2017&operation=" + SET, PUBLIC));
        assertThat(annual.get("incidents").findValuesAsText("caseId")).containsExactly(AuditDataSet.MS_0317,
                AuditDataSet.RQ_0628, AuditDataSet.PK_0708, AuditDataSet.RQ_0718, AuditDataSet.RQ_DUP,
                AuditDataSet.RQ_0801, AuditDataSet.RQ_0903, AuditDataSet.RQ_1012);
        JsonNode raqqa = annual.get("incidents").get(1);
        assertThat(raqqa.get("dateFrom").asText()).isEqualTo("2017-06-28");
        assertThat(raqqa.get("place").asText()).isEqualTo("Raqqa");
        assertThat(raqqa.at("/civiliansKilled/documented").toString()).isEqualTo("{\"min\":9,\"max\":12}");
        assertThat(raqqa.at("/civiliansKilled/acknowledged").toString()).isEqualTo("{\"min\":8,\"max\":8}");
        assertThat(raqqa.at("/enemy/killed").asText()).isEqualTo("NOT_RECORDED");
        assertThat(raqqa.at("/investigation/status").asText()).isEqualTo("CONCLUDED");
        assertThat(raqqa.at("/investigation/ihlViolation").asText()).isEqualTo("NO");
        assertThat(raqqa.at("/amendsPaid/0/amount").decimalValue()).isEqualByComparingTo("2500.00");
        assertThat(annual.at("/totals/incidents").asInt()).isEqualTo(8);
        assertThat(annual.at("/totals/acknowledged").asInt()).isEqualTo(6);
        assertThat(annual.at("/totals/civiliansKilledAcknowledged").toString()).isEqualTo("{\"min\":182,\"max\":182}");
        assertThat(annual.at("/totals/civiliansInjuredAcknowledged").toString()).isEqualTo("{\"min\":15,\"max\":15}");
        assertThat(annual.at("/totals/amendsPaid/0/currency").asText()).isEqualTo("USD");
        assertThat(annual.get("enemyCasualties").asText()).startsWith("NOT_RECORDED");

        String csv = getAs("/reports/annual?year=2017&operation=" + SET + "&format=csv", PUBLIC).getBody();
        assertThat(csv.split("\r\n")).hasSize(9);
        assertThat(csv).contains("AUD-RQ-0628,2017-06-28,2017-06-28,DAY,Raqqa," + AuditDataSet.RAQQA
                + ",CREDIBLE,US-led Coalition,9,12,8,8,4,6,0,0,NOT_RECORDED,NOT_RECORDED,CONCLUDED,NO,true,USD 2500.00,0");
    }

    @Test
    void the_public_role_reads_aggregate_reports_only_with_nothing_personal_or_free_text() {
        for (String report : List.of("/reports/monthly?month=2017-07&through=2018-07", "/reports/gap",
                "/reports/annual?year=2017", "/reports/gap?format=csv", "/reports/annual?year=2017&format=csv")) {
            ResponseEntity<String> response = getAs(report + (report.contains("?") ? "&" : "?") + "operation=" + SET, PUBLIC);
            assertThat(status(response)).as(report).isEqualTo(200);
            for (String text : AuditDataSet.FREE_TEXT) {
                assertThat(response.getBody()).as(report + " must not show " + text).doesNotContain(text);
            }
        }
        for (String other : List.of("/register", "/exports/incidents", "/exports/log", "/cases/" + AuditDataSet.RQ_0628,
                "/cases/" + AuditDataSet.RQ_0628 + "/file", "/cases/" + AuditDataSet.RQ_0628 + "/replay",
                "/cases/" + AuditDataSet.RQ_0628 + "/export", "/amends")) {
            assertThat(status(getAs(other, PUBLIC))).as(other).isEqualTo(403);
        }
    }

    @Test
    void exports_for_auditors_in_csv_and_json_each_recorded() {
        ResponseEntity<String> incidents = getAs("/exports/incidents?format=csv&operation=" + SET, AUDITOR);
        assertThat(status(incidents)).isEqualTo(200);
        assertThat(incidents.getHeaders().getFirst("Content-Disposition")).contains("incidents.csv");
        String[] lines = incidents.getBody().split("\r\n");
        assertThat(lines).hasSize(9);
        assertThat(lines[0]).startsWith("caseId,status,operation,place,placeNames,");
        assertThat(lines[3]).startsWith("AUD-RQ-0628,CREDIBLE," + AuditDataSet.RAQQA + ",Raqqa,en:Raqqa | ar:الرقة,2017-06-28,");

        JsonNode amends = ok(getAs("/exports/amends?operation=" + SET, AUDITOR));
        assertThat(amends.get("count").asInt()).isEqualTo(1);
        assertThat(amends.at("/rows/0/paidAmount").decimalValue()).isEqualByComparingTo("2500.00");
        assertThat(amends.at("/rows/0/status").asText()).isEqualTo("PAID");

        JsonNode casualties = ok(getAs("/exports/casualties?operation=" + SET + "&status=CREDIBLE", AUDITOR));
        assertThat(casualties.get("count").asInt()).isEqualTo(6);
        JsonNode sources = ok(getAs("/exports/sources?operation=" + SET, AUDITOR, "application/json"));
        assertThat(sources.get("rows").findValuesAsText("sourceName")).hasSize(8).containsOnly("Airwars");
        ResponseEntity<String> byAccept = getAs("/exports/sources?operation=" + SET, AUDITOR, "text/csv");
        assertThat(byAccept.getHeaders().getContentType().toString()).startsWith("text/csv");

        JsonNode log = ok(getAs("/exports/log?limit=10", AUDITOR));
        assertThat(log.findValuesAsText("what")).contains("incidents", "amends", "casualties", "sources");
        JsonNode incidentsEntry = null;
        for (JsonNode entry : log) {
            if (entry.get("what").asText().equals("incidents")) {
                incidentsEntry = entry;
                break;
            }
        }
        assertThat(incidentsEntry).isNotNull();
        assertThat(incidentsEntry.get("actor").asText()).isEqualTo("auditor.ines");
        assertThat(incidentsEntry.get("format").asText()).isEqualTo("csv");
        assertThat(incidentsEntry.get("rows").asInt()).isEqualTo(8);
        assertThat(incidentsEntry.at("/filter/operation").asText()).isEqualTo(SET);

        assertThat(fields(getAs("/exports/victims", AUDITOR))).containsExactly("kind");
        assertThat(status(getAs("/exports/incidents", TestTokens.bearer("cw", Roles.CASEWORKER)))).isEqualTo(403);
    }
}
