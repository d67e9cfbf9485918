package org.civharm.accountability.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.civharm.accountability.config.Roles;
import org.civharm.accountability.support.AccountabilityMother;
import org.civharm.accountability.support.IncidentMother;
import org.civharm.accountability.support.IncidentStream;
import org.civharm.accountability.support.IncidentTopic;
import org.civharm.accountability.support.KafkaTestConsumer;
import org.civharm.accountability.support.ServiceIntegrationTest;
import org.civharm.accountability.support.TestTokens;
import org.civharm.accountability.views.TimelineRepository;
import org.civharm.contract.Topics;
import org.civharm.contract.integrity.CaseExport;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.contract.integrity.ExportVerifier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two hash chains of a case as an insider with database access would test them: stored events edited or deleted
 * directly in MongoDB behind the service's back must be named by {@code GET /cases/{id}/integrity}, for this
 * service's own stream (event store) and for incident-service's stream as received (case file). Exports verify
 * offline, and a tampered export names the event.
 */
class CaseIntegrityTest extends ServiceIntegrationTest {

    /** Reads an export the way the offline verifier (infra/verify-export.sh) does. */
    private static final ObjectMapper OFFLINE = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Autowired
    MongoClient mongo;
    @Autowired
    TimelineRepository timelineRepository;

    @Test
    void intact_streams_verify_and_the_published_envelopes_carry_the_stored_hashes() throws Exception {
        String caseId = record("CHAIN-OK");
        JsonNode report = integrity(caseId);
        assertThat(report.get("status").asText()).isEqualTo("VERIFIED");
        JsonNode incident = report.at("/streams/0");
        JsonNode own = report.at("/streams/1");
        assertThat(incident.get("producedBy").asText()).isEqualTo("incident-service");
        assertThat(incident.get("status").asText()).isEqualTo("VERIFIED");
        assertThat(incident.get("events").asInt()).isEqualTo(2);
        assertThat(own.get("producedBy").asText()).isEqualTo("accountability-service");
        assertThat(own.get("status").asText()).isEqualTo("VERIFIED");
        assertThat(own.get("events").asInt()).isEqualTo(5);

        List<ConsumerRecord<String, String>> published = KafkaTestConsumer.read(Topics.ACCOUNTABILITY_EVENTS,
                r -> caseId.equals(r.key()), 5, Duration.ofSeconds(30));
        assertThat(published).hasSize(5);
        String previous = EventHashes.GENESIS;
        for (int i = 0; i < 5; i++) {
            JsonNode envelope = new ObjectMapper().readTree(published.get(i).value());
            Document stored = storedEvent(caseId, i);
            JsonNode metaData = new ObjectMapper().readTree(stored.get("serializedMetaData").toString());
            assertThat(envelope.get("hash").asText()).isEqualTo(metaData.get(EventHashes.HASH).asText());
            assertThat(envelope.get("previousHash").asText()).isEqualTo(previous);
            assertThat(EventHashes.hash(caseId, i, envelope.get("eventType").asText(), previous, envelope.get("event")))
                    .as("the envelope's event hashes to its hash").isEqualTo(envelope.get("hash").asText());
            previous = envelope.get("hash").asText();
        }
        assertThat(own.get("headHash").asText()).isEqualTo(previous);
    }

    @Test
    void an_accountability_event_edited_in_the_database_is_named() {
        String caseId = record("CHAIN-EDITED");
        Document offer = storedEvent(caseId, 3);
        String payload = (String) offer.get("serializedPayload");
        String forged = payload.replace("2500.00", "250.00");
        assertThat(forged).isNotEqualTo(payload);
        events().updateOne(Filters.eq("_id", offer.get("_id")), new Document("$set", new Document("serializedPayload", forged)));

        JsonNode report = integrity(caseId);
        assertThat(report.get("status").asText()).isEqualTo("BROKEN");
        assertThat(report.at("/streams/0/status").asText()).isEqualTo("VERIFIED");
        JsonNode own = report.at("/streams/1");
        assertThat(own.get("status").asText()).isEqualTo("BROKEN");
        assertThat(own.at("/firstBreak/sequence").asLong()).isEqualTo(3);
        assertThat(own.at("/firstBreak/eventId").asText()).isEqualTo(offer.getString("eventIdentifier"));
        assertThat(own.at("/firstBreak/type").asText()).isEqualTo("AmendsOffered");
        assertThat(own.at("/firstBreak/problem").asText()).isEqualTo("HASH_MISMATCH");
    }

    @Test
    void an_accountability_event_deleted_from_the_middle_is_named() {
        String caseId = record("CHAIN-DELETED");
        events().deleteOne(Filters.eq("_id", storedEvent(caseId, 2).get("_id")));

        JsonNode own = integrity(caseId).at("/streams/1");
        assertThat(own.get("status").asText()).isEqualTo("BROKEN");
        assertThat(own.at("/firstBreak/problem").asText()).isEqualTo("SEQUENCE_GAP");
        assertThat(own.at("/firstBreak/sequence").asLong()).isEqualTo(3);
        assertThat(own.at("/firstBreak/detail").asText()).contains("expected sequence 2");
    }

    @Test
    void a_removed_tail_is_caught_against_the_view_and_the_case_file() {
        String caseId = record("CHAIN-TRUNCATED");
        events().deleteOne(Filters.eq("_id", storedEvent(caseId, 4).get("_id")));

        JsonNode own = integrity(caseId).at("/streams/1");
        assertThat(own.get("status").asText()).isEqualTo("BROKEN");
        assertThat(own.at("/firstBreak/problem").asText()).isEqualTo("SEQUENCE_GAP");
        assertThat(own.at("/firstBreak/sequence").asLong()).isEqualTo(4);
        assertThat(own.at("/firstBreak/detail").asText()).contains("tail");
    }

    @Test
    void incident_events_as_received_are_checked_edited_missing_or_without_hashes() {
        // edited in the case file after it was received
        String edited = record("CHAIN-INCIDENT-EDITED");
        Document ack = timeline().find(Filters.and(Filters.eq("caseId", edited), Filters.eq("type", "AllegationAcknowledged"))).first();
        timeline().updateOne(Filters.eq("_id", ack.get("_id")), new Document("$set",
                new Document("event", ack.getString("event").replace("\"min\":8", "\"min\":2"))));
        JsonNode incident = integrity(edited).at("/streams/0");
        assertThat(incident.get("status").asText()).isEqualTo("BROKEN");
        assertThat(incident.at("/firstBreak/problem").asText()).isEqualTo("HASH_MISMATCH");
        assertThat(incident.at("/firstBreak/sequence").asLong()).isEqualTo(1);
        assertThat(incident.at("/firstBreak/eventId").asText()).isEqualTo(ack.getString("_id"));

        // an event never received (or deleted from the case file): a gap in the sequence
        String gap = "CHAIN-INCIDENT-GAP";
        IncidentStream stream = new IncidentStream(gap).then(IncidentMother.filed(gap)).then(IncidentMother.dismissed(gap))
                .then(IncidentMother.revised(gap, 1, IncidentMother.DISMISSED_RECORDED_AT.plusSeconds(60)));
        IncidentStream.publish(List.of(stream.event(0), stream.event(2)), gap);
        await().atMost(WAIT).until(() -> status(get("/cases/" + gap + "/file")) == 200
                && body(get("/cases/" + gap + "/file")).get("count").asInt() == 2);
        JsonNode missing = integrity(gap);
        assertThat(missing.at("/streams/0/firstBreak/problem").asText()).isEqualTo("SEQUENCE_GAP");
        assertThat(missing.at("/streams/0/firstBreak/sequence").asLong()).isEqualTo(2);
        assertThat(missing.at("/streams/1/status").asText()).isEqualTo("NOT_FOUND");

        // a producer without the chain
        String legacy = "CHAIN-INCIDENT-LEGACY";
        IncidentTopic.publish(IncidentMother.filed(legacy), 0);
        await().atMost(WAIT).until(() -> status(get("/cases/" + legacy + "/file")) == 200);
        assertThat(integrity(legacy).at("/streams/0/firstBreak/problem").asText()).isEqualTo("MISSING_HASH");
        assertThat(status(get("/cases/NO-SUCH-CASE/integrity"))).isEqualTo(404);
    }

    @Test
    void an_export_verifies_offline_is_recorded_and_tampering_with_it_is_named() throws Exception {
        String caseId = record("CHAIN-EXPORT");
        ResponseEntity<String> response = auditor("/cases/" + caseId + "/export");
        assertThat(status(response)).as(response.getBody()).isEqualTo(200);
        assertThat(response.getBody()).contains("\"amount\":2500.00");
        CaseExport export = OFFLINE.readValue(response.getBody(), CaseExport.class);
        assertThat(export.format()).isEqualTo(CaseExport.FORMAT);
        assertThat(export.exportedBy()).isEqualTo("auditor.ines");
        assertThat(export.streams()).extracting(CaseExport.Stream::producedBy)
                .containsExactly("incident-service", "accountability-service");
        assertThat(export.streams().get(0).events()).hasSize(2);
        assertThat(export.streams().get(1).events()).hasSize(5);
        assertThat(ExportVerifier.verify(export)).isEmpty();
        JsonNode integrity = integrity(caseId);
        assertThat(export.streams().get(1).headHash()).isEqualTo(integrity.at("/streams/1/headHash").asText());
        assertThat(export.streams().get(0).headHash()).isEqualTo(integrity.at("/streams/0/headHash").asText());
        assertThat(mongo.getDatabase(DATABASE).getCollection("export_log").countDocuments(
                new Document("actor", "auditor.ines").append("what", "case export").append("filter.caseId", caseId)))
                .isEqualTo(1);

        // someone edits the exported file: the verifier names the event
        ObjectNode tampered = (ObjectNode) OFFLINE.readTree(response.getBody());
        ObjectNode paid = (ObjectNode) tampered.at("/streams/1/events/4/event/paid");
        paid.put("amount", 25000.00);
        List<String> problems = ExportVerifier.verify(OFFLINE.treeToValue(tampered, CaseExport.class));
        assertThat(problems).singleElement().asString().contains("accountability-service sequence 4 (AmendsPaid")
                .contains("does not match its hash");

        assertThat(status(auditor("/cases/NO-SUCH-CASE/export"))).isEqualTo(404);
        HttpHeaders officer = new HttpHeaders();
        officer.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("officer", Roles.ACCOUNTABILITY_OFFICER));
        assertThat(http.exchange("/cases/" + caseId + "/export", HttpMethod.GET, new HttpEntity<>(officer), String.class)
                .getStatusCode().value()).isEqualTo(403);
    }

    /**
     * An acknowledged case (2 incident events with a chain) whose record then gets 5 events: opened, investigation
     * opened, concluded, amends offered (2500.00 USD) and paid. Waits until the view and the case file have them all.
     */
    private String record(String caseId) {
        IncidentStream.publishAll(List.of(new IncidentStream(caseId).then(IncidentMother.filed(caseId))
                .then(IncidentMother.acknowledged(caseId))));
        awaitRecordOpened(caseId);
        String base = "/cases/" + caseId;
        assertThat(status(post(base + "/investigations", AccountabilityMother.investigationRequest()))).isEqualTo(201);
        assertThat(status(post(base + "/findings", AccountabilityMother.findingsRequest("INV-1")))).isEqualTo(201);
        assertThat(status(post(base + "/amends", AccountabilityMother.amendsRequest("2500.00", "USD")))).isEqualTo(201);
        assertThat(status(post(base + "/amends/AM-1/payments", AccountabilityMother.paymentRequest("2500.00", "USD"))))
                .isEqualTo(201);
        awaitView(caseId, 4);
        awaitFile(caseId, 7, "recorded");
        return caseId;
    }

    private JsonNode integrity(String caseId) {
        return body(auditor("/cases/" + caseId + "/integrity"));
    }

    private ResponseEntity<String> auditor(String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("auditor.ines", Roles.AUDITOR));
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    private MongoCollection<Document> events() {
        return mongo.getDatabase(DATABASE).getCollection("domainevents");
    }

    private MongoCollection<Document> timeline() {
        // the live collection (a rebuild may have replaced the first one)
        return mongo.getDatabase(DATABASE).getCollection(timelineRepository.currentCollection());
    }

    private Document storedEvent(String caseId, long sequence) {
        Document doc = events().find(Filters.and(Filters.eq("aggregateIdentifier", caseId),
                Filters.eq("sequenceNumber", sequence))).first();
        assertThat(doc).as("stored event %s/%d", caseId, sequence).isNotNull();
        return doc;
    }
}
