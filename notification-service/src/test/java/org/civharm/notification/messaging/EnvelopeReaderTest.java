package org.civharm.notification.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.notification.api.FactKind;
import org.civharm.notification.config.ContractJson;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.incident.IncidentEvent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the contract's own examples, and what is parked or ignored. */
class EnvelopeReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EnvelopeReader reader = new EnvelopeReader(new ContractJson());

    private static String example(String path) throws IOException {
        try (InputStream in = EnvelopeReaderTest.class.getClassLoader().getResourceAsStream("examples/" + path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private EnvelopeReader.Read read(String topic, String value) {
        return reader.read(new ConsumerRecord<>(topic, 2, 17L, "RAQQA-2017-0628", value));
    }

    @Test
    void reads_the_published_examples_into_facts() throws IOException {
        EnvelopeReader.Read filed = read(Topics.INCIDENT_EVENTS, example("incident/AllegationFiled.json"));
        assertThat(filed).isInstanceOf(EnvelopeReader.Read.Fact.class);
        var fact = ((EnvelopeReader.Read.Fact) filed).fact();
        assertThat(fact.kind()).isEqualTo(FactKind.ALLEGATION_FILED);
        assertThat(fact.caseId()).isEqualTo("RAQQA-2017-0628");
        assertThat(fact.producer()).isEqualTo("incident-service");
        assertThat(fact.occurredAt()).isEqualTo(Instant.parse("2017-06-30T00:00:00Z"));
        assertThat(fact.eventId()).isEqualTo("0a45aafd-f2aa-4251-a875-29561cc6db01");

        assertThat(read(Topics.INCIDENT_EVENTS, example("incident/AllegationAcknowledged.json")))
                .isInstanceOf(EnvelopeReader.Read.Fact.class);
        assertThat(read(Topics.INCIDENT_EVENTS, example("incident/EvidenceAttached.json")))
                .isEqualTo(new EnvelopeReader.Read.Ignored("EvidenceAttached"));
    }

    /** Every published example of both consumed topics reads: as a fact of its kind, or as ignored. */
    @ParameterizedTest
    @ValueSource(classes = {IncidentEvent.class, AccountabilityEvent.class})
    void every_published_example_is_read_as_a_fact_or_ignored(Class<?> base) throws IOException {
        boolean incident = base == IncidentEvent.class;
        JsonSubTypes.Type[] types = base.getAnnotation(JsonSubTypes.class).value();
        assertThat(types).isNotEmpty();
        for (JsonSubTypes.Type t : types) {
            String type = t.name();
            EnvelopeReader.Read read = read(incident ? Topics.INCIDENT_EVENTS : Topics.ACCOUNTABILITY_EVENTS,
                    example((incident ? "incident/" : "accountability/") + type + ".json"));
            if (FactKind.ofEventType(type).isPresent()) {
                assertThat(read).as(type).isInstanceOf(EnvelopeReader.Read.Fact.class);
                assertThat(((EnvelopeReader.Read.Fact) read).fact().kind().eventType()).isEqualTo(type);
            } else {
                assertThat(read).as(type).isEqualTo(new EnvelopeReader.Read.Ignored(type));
            }
        }
    }

    @Test
    void the_letter_example_carries_its_id_and_due_date() throws IOException {
        var fact = ((EnvelopeReader.Read.Fact) read(Topics.ACCOUNTABILITY_EVENTS,
                example("accountability/LetterSent.json"))).fact();
        assertThat(fact.subjectId()).isEqualTo("L-1");
        assertThat(fact.responseDueOn()).isEqualTo(LocalDate.parse("2018-09-19"));
        assertThat(fact.producer()).isEqualTo("accountability-service");
    }

    @Test
    void a_letter_carries_its_id_and_due_date() {
        String letter = """
                {"eventId": "7d9a5f2e-0000-4000-8000-000000000001", "eventType": "LetterSent", "contractVersion": 1,
                 "caseId": "RAQQA-2017-HQ", "sequence": 3, "producedBy": "accountability-service",
                 "recordedAt": "2018-03-02T10:00:00Z", "futureField": true,
                 "event": {"type": "LetterSent", "caseId": "RAQQA-2017-HQ", "letterId": "L-1", "kind": "LETTER",
                   "from": "Amnesty International", "to": "US Secretary of Defense", "sentOn": "2018-03-01",
                   "asked": "which member state struck", "responseDueOn": "2018-03-15", "actor": "cw",
                   "occurredAt": "2018-03-01T00:00:00Z", "recordedAt": "2018-03-02T10:00:00Z", "addedLater": 1}}
                """;
        var fact = ((EnvelopeReader.Read.Fact) read(Topics.ACCOUNTABILITY_EVENTS, letter)).fact();
        assertThat(fact.kind()).isEqualTo(FactKind.LETTER_SENT);
        assertThat(fact.subjectId()).isEqualTo("L-1");
        assertThat(fact.responseDueOn()).isEqualTo(LocalDate.parse("2018-03-15"));
        assertThat(fact.sequence()).isEqualTo(3);
    }

    @Test
    void unreadable_records_say_why() throws IOException {
        assertThat(read(Topics.INCIDENT_EVENTS, "not json")).isInstanceOf(EnvelopeReader.Read.Unreadable.class);
        assertThat(read(Topics.INCIDENT_EVENTS, "[1, 2]")).isInstanceOf(EnvelopeReader.Read.Unreadable.class);
        String filed = example("incident/AllegationFiled.json");
        ObjectNode otherCase = (ObjectNode) JSON.readTree(filed);
        otherCase.put("caseId", "OTHER-CASE");
        assertThat(reason(read(Topics.INCIDENT_EVENTS, otherCase.toString()))).contains("event caseId");
        assertThat(reason(read(Topics.ACCOUNTABILITY_EVENTS, filed))).contains("is not a AccountabilityEvent");
        ObjectNode noDate = (ObjectNode) JSON.readTree(filed);
        ((ObjectNode) noDate.get("event")).remove("occurredAt");
        assertThat(reason(read(Topics.INCIDENT_EVENTS, noDate.toString()))).contains("occurredAt");
        ObjectNode noId = (ObjectNode) JSON.readTree(filed);
        noId.remove("eventId");
        assertThat(reason(read(Topics.INCIDENT_EVENTS, noId.toString()))).contains("eventId");
        // an event type this service does not know yet is skipped, not parked
        assertThat(read(Topics.INCIDENT_EVENTS, filed.replace("AllegationFiled", "AllegationEscalated")))
                .isEqualTo(new EnvelopeReader.Read.Ignored("AllegationEscalated"));
    }

    /** AllegationFiled as the first contract version (0) published it: no event type, one place name, flat figures. */
    private static final String V0_FILED = """
            {"eventId": "5e1f0b8e-7f2d-4c38-9a51-0c7a3f7e0001", "eventType": "AllegationFiled", "contractVersion": 0,
             "caseId": "RAQQA-2017-0628", "sequence": 0, "producedBy": "incident-service",
             "recordedAt": "2017-07-03T09:00:00Z",
             "event": {"caseId": "RAQQA-2017-0628", "source": {"name": "Airwars", "type": "NGO"},
               "filedOn": "2017-07-02", "incidentDate": {"from": "2017-06-28", "to": "2017-06-28", "precision": "DAY"},
               "placeName": "Raqqa", "killedMin": 8, "killedMax": 12, "injuredMin": 3, "injuredMax": 10,
               "belligerents": [{"name": "US-led Coalition", "involvement": "SUSPECTED"}],
               "description": "Filed before the contract had places in several scripts.",
               "actor": "caseworker.old", "occurredAt": "2017-07-02T00:00:00Z", "recordedAt": "2017-07-03T09:00:00Z"}}
            """;

    @Test
    void a_record_of_the_first_contract_version_is_upcast_and_read() throws IOException {
        EnvelopeReader.Read read = read(Topics.INCIDENT_EVENTS, V0_FILED);
        assertThat(read).isInstanceOf(EnvelopeReader.Read.Fact.class);
        var fact = ((EnvelopeReader.Read.Fact) read).fact();
        assertThat(fact.kind()).isEqualTo(FactKind.ALLEGATION_FILED);
        assertThat(fact.eventId()).isEqualTo("5e1f0b8e-7f2d-4c38-9a51-0c7a3f7e0001");
        assertThat(fact.occurredAt()).isEqualTo(Instant.parse("2017-07-02T00:00:00Z"));

        // the version only in the header, and the type only in the header: read the same way
        ObjectNode headerOnly = (ObjectNode) JSON.readTree(V0_FILED);
        headerOnly.remove("contractVersion");
        var record = new ConsumerRecord<>(Topics.INCIDENT_EVENTS, 2, 18L, "RAQQA-2017-0628", headerOnly.toString());
        record.headers().add(EventHeaders.CONTRACT_VERSION, "0".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.read(record)).isInstanceOf(EnvelopeReader.Read.Fact.class);
    }

    @Test
    void a_record_of_a_newer_contract_version_is_unreadable() throws IOException {
        ObjectNode newer = (ObjectNode) JSON.readTree(example("incident/AllegationAcknowledged.json"));
        newer.put("contractVersion", 2);
        assertThat(reason(read(Topics.INCIDENT_EVENTS, newer.toString())))
                .contains("contract version 2 is newer than the newest this consumer reads (1)");
        newer.remove("contractVersion");
        var record = new ConsumerRecord<>(Topics.INCIDENT_EVENTS, 2, 19L, "RAQQA-2017-0628", newer.toString());
        record.headers().add(EventHeaders.CONTRACT_VERSION, "2".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.read(record)).isInstanceOf(EnvelopeReader.Read.Unreadable.class);
        // a service configured to read version 2 reads it
        assertThat(new EnvelopeReader(new ContractJson(), 2).read(record)).isInstanceOf(EnvelopeReader.Read.Fact.class);
    }

    private static String reason(EnvelopeReader.Read read) {
        assertThat(read).isInstanceOf(EnvelopeReader.Read.Unreadable.class);
        return ((EnvelopeReader.Read.Unreadable) read).reason();
    }
}
