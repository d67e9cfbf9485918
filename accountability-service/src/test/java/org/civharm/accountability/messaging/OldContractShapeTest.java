package org.civharm.accountability.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.civharm.accountability.support.IncidentTopic;
import org.civharm.accountability.support.ServiceIntegrationTest;
import org.civharm.accountability.views.IncidentCase;
import org.civharm.accountability.views.IncidentCaseRepository;
import org.civharm.contract.EventHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schema evolution on the Kafka side: records published in the first contract shape (fixtures of that shape under
 * {@code fixtures/contract-v0/}, copies of the contract module's) go through the real broker and are read as the
 * current contract — into the incident copy, the case file, and the acknowledgement opening the record.
 */
class OldContractShapeTest extends ServiceIntegrationTest {

    @Autowired
    IncidentCaseRepository incidentCases;

    @Test
    void records_of_the_first_contract_version_are_read_after_the_contract_changed() throws Exception {
        String caseId = "LEGACY-2017-0628";
        IncidentTopic.send(caseId, fixture("AllegationFiled.json"), Map.of(EventHeaders.CONTRACT_VERSION, "0"));
        IncidentTopic.send(caseId, fixture("AllegationAcknowledged.json"), Map.of());

        awaitRecordOpened(caseId);
        await().atMost(WAIT).until(() -> incidentCases.findById(caseId).map(c -> c.lastSequence).orElse(-1L) == 1);
        IncidentCase copy = incidentCases.findById(caseId).orElseThrow();
        assertThat(copy.placeNames).singleElement().satisfies(n -> assertThat(n.name()).isEqualTo("Raqqa"));
        assertThat(copy.documented.killed().total().min()).isEqualTo(8);
        assertThat(copy.documented.killed().total().max()).isEqualTo(12);
        assertThat(copy.documented.injured().total().max()).isEqualTo(10);
        assertThat(copy.filedOn).isEqualTo(LocalDate.parse("2017-07-02"));
        assertThat(copy.operation).isEqualTo("Raqqa 2017");
        assertThat(copy.status.name()).isEqualTo("CREDIBLE");

        JsonNode file = awaitFile(caseId, 3, "recorded");
        JsonNode filed = file.get(0);
        assertThat(filed.get("type").asText()).isEqualTo("AllegationFiled");
        assertThat(filed.get("eventId").asText()).isEqualTo("5e1f0b8e-7f2d-4c38-9a51-0c7a3f7e0001");
        assertThat(filed.at("/event/place/names/0/name").asText()).isEqualTo("Raqqa");
        assertThat(filed.at("/event/casualties/killed/total/max").asInt()).isEqualTo(12);
        assertThat(filed.at("/event").has("placeName")).isFalse();
        assertThat(texts(file, "type")).containsExactly("AllegationFiled", "AllegationAcknowledged",
                "AccountabilityRecordOpened");
        assertThat(awaitView(caseId, 0).get("triggeringEventId").asText())
                .isEqualTo("5e1f0b8e-7f2d-4c38-9a51-0c7a3f7e0003");
        assertThat(streamLength(caseId)).isEqualTo(1);

        // the same shape without a version anywhere reads as version 0 too
        String other = "LEGACY-2017-0701";
        IncidentTopic.send(other, fixture("AllegationFiled-no-version-field.json"), Map.of());
        await().atMost(WAIT).until(() -> incidentCases.findById(other).isPresent());
        assertThat(incidentCases.findById(other).orElseThrow().placeNames.get(0).name()).isEqualTo("Mosul");

        // a newer version than this service reads is parked, not read tolerantly
        String newerCase = "LEGACY-NEWER-1";
        ObjectNode newer = (ObjectNode) EXACT.readTree(fixture("AllegationFiled.json"));
        newer.put("contractVersion", 3).put("caseId", newerCase);
        ((ObjectNode) newer.get("event")).put("caseId", newerCase);
        IncidentTopic.send(newerCase, newer.toString(), Map.of());
        await().atMost(WAIT).until(() -> status(get("/admin/dead-letters/" + newerCase)) == 200);
        assertThat(body(get("/admin/dead-letters/" + newerCase)).at("/records/0/reason").asText())
                .contains("contract version 3 is newer");
        assertThat(incidentCases.findById(newerCase)).isEmpty();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = OldContractShapeTest.class.getClassLoader()
                .getResourceAsStream("fixtures/contract-v0/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
