package org.civharm.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.civharm.contract.integrity.EventHashes;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented canonical form, and the published examples as a hash chain a consumer can verify. */
class EventHashesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void canonicalFormSortsMembersDropsNullsAndKeepsArrayOrder() throws Exception {
        JsonNode node = json.readTree("{\"b\": 1, \"a\": {\"z\": null, \"y\": [3, 1, 2], \"x\": \"é\\\"\"}, \"c\": null}");
        assertThat(EventHashes.canonicalJson(node)).isEqualTo("{\"a\":{\"x\":\"é\\\"\",\"y\":[3,1,2]},\"b\":1}");
        assertThat(EventHashes.sha256("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void aFormWithoutNullsHashesLikeTheStoredFormWithNulls() throws Exception {
        JsonNode stored = json.readTree("{\"caseId\": \"C-1\", \"comment\": null, \"n\": 2.50}");
        JsonNode published = json.readTree("{\"n\": 2.50, \"caseId\": \"C-1\"}");
        assertThat(EventHashes.hash("C-1", 0, "T", EventHashes.GENESIS, stored))
                .isEqualTo(EventHashes.hash("C-1", 0, "T", EventHashes.GENESIS, published));
        JsonNode changed = json.readTree("{\"n\": 2.51, \"caseId\": \"C-1\"}");
        assertThat(EventHashes.hash("C-1", 0, "T", EventHashes.GENESIS, changed))
                .isNotEqualTo(EventHashes.hash("C-1", 0, "T", EventHashes.GENESIS, published));
    }

    @Test
    void decimalsHashAlikeWhetherReadExactlyOrAsDoubles() throws Exception {
        ObjectMapper exact = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        String text = "{\"amount\": 2500.00, \"small\": 0.10, \"tiny\": 1.0E-7, \"n\": 8, \"lat\": 35.9528}";
        assertThat(EventHashes.canonicalJson(exact.readTree(text))).isEqualTo(EventHashes.canonicalJson(json.readTree(text)))
                .isEqualTo("{\"amount\":2500,\"lat\":35.9528,\"n\":8,\"small\":0.1,\"tiny\":0.0000001}");
    }

    @Test
    void thePublishedIncidentExamplesFormAVerifiableChain() throws Exception {
        List<String> stream = List.of("AllegationFiled", "AllegationDismissed", "EvidenceAttached", "CasualtyFiguresRevised",
                "AllegationReopened", "AllegationAcknowledged");
        String previous = EventHashes.GENESIS;
        for (int i = 0; i < stream.size(); i++) {
            JsonNode envelope = example(stream.get(i));
            assertThat(envelope.get("sequence").asLong()).isEqualTo(i);
            assertThat(envelope.get("previousHash").asText()).isEqualTo(previous);
            String recomputed = EventHashes.hash(envelope.get("caseId").asText(), i, envelope.get("eventType").asText(),
                    previous, envelope.get("event"));
            assertThat(envelope.get("hash").asText()).as(stream.get(i)).isEqualTo(recomputed);
            previous = recomputed;
        }
    }

    private JsonNode example(String type) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/examples/incident/" + type + ".json")) {
            return json.readTree(in);
        }
    }
}
