package org.civharm.contract.upcasting;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records of the first published shape (fixtures under {@code fixtures/v0/}) read as the current contract. */
class ContractUpcasterTest {

    private static final TypeReference<EventEnvelope<IncidentEvent>> INCIDENT_ENVELOPE = new TypeReference<>() {
    };
    /** A consumer's tolerant mapper; type ids are required (as in every consumer). */
    private static final ObjectMapper TOLERANT = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Strict on fields, to prove nothing of the old shape is left over. */
    private static final ObjectMapper STRICT = TOLERANT.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void the_old_allegation_filed_shape_reads_as_the_current_event() throws Exception {
        String old = fixture("AllegationFiled.json");
        // without the upcaster the old shape cannot be read: the event names no type
        assertThatThrownBy(() -> TOLERANT.readValue(old, INCIDENT_ENVELOPE)).isInstanceOf(IOException.class);

        String current = ContractUpcaster.upcast(old, null, null, ContractUpcaster.CURRENT_VERSION);
        EventEnvelope<IncidentEvent> envelope = STRICT.readValue(current, INCIDENT_ENVELOPE);
        assertThat(envelope.contractVersion()).isEqualTo(EventEnvelope.CURRENT_CONTRACT_VERSION);
        assertThat(envelope.eventId()).isEqualTo("5e1f0b8e-7f2d-4c38-9a51-0c7a3f7e0001");
        AllegationFiledEvent filed = (AllegationFiledEvent) envelope.event();
        assertThat(filed.caseId()).isEqualTo("LEGACY-2017-0628");
        assertThat(filed.place().names()).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("Raqqa");
            assertThat(n.language()).isEqualTo("en");
        });
        assertThat(filed.place().points()).isEmpty();
        assertThat(filed.casualties().killed().total().min()).isEqualTo(8);
        assertThat(filed.casualties().killed().total().max()).isEqualTo(12);
        assertThat(filed.casualties().injured().total().min()).isEqualTo(3);
        assertThat(filed.casualties().injured().total().max()).isEqualTo(10);
        assertThat(filed.externalReferences()).isEmpty();
        assertThat(filed.filedOn()).isEqualTo(LocalDate.of(2017, 7, 2));
        assertThat(filed.operation()).isEqualTo("Raqqa 2017");
    }

    @Test
    void the_version_comes_from_the_header_when_the_envelope_has_none_and_is_0_when_neither_says() throws Exception {
        String old = fixture("AllegationFiled-no-version-field.json");
        JsonNode tree = TOLERANT.readTree(old);
        assertThat(ContractUpcaster.versionOf(tree, "0")).isZero();
        assertThat(ContractUpcaster.versionOf(tree, null)).isZero();
        assertThat(ContractUpcaster.versionOf(tree, "1")).isEqualTo(1);

        for (String header : new String[]{"0", null}) {
            AllegationFiledEvent filed = (AllegationFiledEvent) STRICT.readValue(
                    ContractUpcaster.upcast(old, header, null, 1), INCIDENT_ENVELOPE).event();
            assertThat(filed.place().names().get(0).name()).isEqualTo("Mosul");
            // one figure reported: max is min; no injured figures: 0
            assertThat(filed.casualties().killed().total().max()).isEqualTo(4);
            assertThat(filed.casualties().injured().total().min()).isZero();
            assertThat(filed.casualties().injured().total().max()).isZero();
        }
    }

    @Test
    void an_old_event_without_type_takes_it_from_the_envelope() throws Exception {
        EventEnvelope<IncidentEvent> envelope = STRICT.readValue(
                ContractUpcaster.upcast(fixture("AllegationAcknowledged.json"), null, null, 1), INCIDENT_ENVELOPE);
        AllegationAcknowledgedEvent ack = (AllegationAcknowledgedEvent) envelope.event();
        assertThat(ack.assessedBy()).isEqualTo("US-led Coalition");
        assertThat(ack.concededKilled().max()).isEqualTo(8);
    }

    @Test
    void an_old_envelope_without_event_type_takes_it_from_the_header() throws Exception {
        ObjectNode old = (ObjectNode) TOLERANT.readTree(fixture("AllegationAcknowledged.json"));
        old.remove("eventType");
        ObjectNode current = ContractUpcaster.upcast(old, null, "AllegationAcknowledged");
        assertThat(current.at("/event/type").asText()).isEqualTo("AllegationAcknowledged");
        assertThat(current.get("eventType").asText()).isEqualTo("AllegationAcknowledged");
        assertThat(old.has("eventType")).as("the input is not modified").isFalse();
        assertThat(old.at("/event").has("type")).isFalse();
    }

    @Test
    void a_current_record_is_returned_unchanged_character_for_character() throws Exception {
        String current;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("examples/incident/AllegationFiled.json")) {
            current = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(ContractUpcaster.upcast(current, null, null, 1)).isSameAs(current);
        ObjectNode tree = (ObjectNode) TOLERANT.readTree(current);
        assertThat(ContractUpcaster.upcast(tree, null, null)).isSameAs(tree);
    }

    @Test
    void amounts_keep_their_digits_when_an_old_record_is_rewritten() {
        String old = "{\"eventType\":\"AmendsPaid\",\"contractVersion\":0,\"event\":{\"amount\":2500.00,\"big\":12345678901234567890.10}}";
        String current = ContractUpcaster.upcast(old, null, null, 1);
        assertThat(current).contains("2500.00").contains("12345678901234567890.10").contains("\"type\":\"AmendsPaid\"")
                .contains("\"contractVersion\":1");
    }

    @Test
    void a_newer_version_is_refused_unless_the_consumer_reads_it() throws Exception {
        ObjectNode newer = (ObjectNode) TOLERANT.readTree(fixture("AllegationAcknowledged.json"));
        newer.put("contractVersion", 2);
        assertThatThrownBy(() -> ContractUpcaster.upcast(newer, null, null))
                .isInstanceOf(UnsupportedContractVersionException.class)
                .hasMessageContaining("contract version 2 is newer than the newest this consumer reads (1)");
        // the header says 2 and the envelope nothing: refused too
        newer.remove("contractVersion");
        assertThatThrownBy(() -> ContractUpcaster.upcast(newer, "2", null))
                .isInstanceOf(UnsupportedContractVersionException.class);
        // a consumer upgraded to read version 2 passes it on as it is
        newer.put("contractVersion", 2);
        assertThat(ContractUpcaster.upcast(newer, null, null, 2)).isSameAs(newer);
    }

    @Test
    void a_version_that_is_not_a_whole_number_or_below_0_is_refused() {
        for (String bad : new String[]{"\"one\"", "1.5", "-1", "99999999999", "{}"}) {
            String value = "{\"contractVersion\":" + bad + ",\"event\":{}}";
            assertThatThrownBy(() -> ContractUpcaster.upcast(value, null, null, 1)).as(bad)
                    .isInstanceOf(UnsupportedContractVersionException.class);
        }
        assertThatThrownBy(() -> ContractUpcaster.upcast("{\"event\":{}}", "x", null, 1))
                .isInstanceOf(UnsupportedContractVersionException.class);
    }

    @Test
    void text_that_is_not_an_envelope_is_left_to_the_reader() {
        assertThat(ContractUpcaster.upcast("{not json", null, null, 1)).isEqualTo("{not json");
        assertThat(ContractUpcaster.upcast("[1,2]", null, null, 1)).isEqualTo("[1,2]");
        assertThat(ContractUpcaster.upcast((String) null, null, null, 1)).isNull();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = ContractUpcasterTest.class.getClassLoader().getResourceAsStream("fixtures/v0/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
