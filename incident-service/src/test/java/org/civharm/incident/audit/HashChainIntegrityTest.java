package org.civharm.incident.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.civharm.contract.Topics;
import org.civharm.contract.integrity.CaseExport;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.contract.integrity.ExportVerifier;
import org.civharm.incident.eventstore.SequencedMongoEventStorageEngine;
import org.civharm.incident.views.CaseEventStream;
import org.civharm.incident.support.AllegationMother;
import org.civharm.incident.support.KafkaTestConsumer;
import org.civharm.incident.config.Roles;
import org.civharm.incident.support.TestInfrastructure;
import org.civharm.incident.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClientException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The hash chain as an insider with database access would test it: events edited or deleted directly in MongoDB,
 * behind the service's back, must be named by {@code GET /allegations/{id}/integrity}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // a case of more than three events streams (see CaseEventStream): every stream of four here does
        properties = "civharm.events.whole-response-up-to=3")
class HashChainIntegrityTest {

    private static final String DATABASE = "incident_integrity_test";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, DATABASE);
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    MongoClient mongo;
    @Autowired
    SequencedMongoEventStorageEngine engine;
    @Autowired
    ObjectMapper apiJson;
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anUntouchedStreamVerifiesAndItsHashesTravelToKafka() throws Exception {
        String caseId = record("CHAIN-OK");
        JsonNode report = get("/allegations/" + caseId + "/integrity");
        assertThat(report.get("status").asText()).isEqualTo("VERIFIED");
        assertThat(report.get("events").asInt()).isEqualTo(4);
        JsonNode events = get("/allegations/" + caseId + "/events");
        assertThat(report.get("headHash").asText()).isEqualTo(events.get(3).get("hash").asText());
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).get("previousHash").asText()).isEqualTo(events.get(i - 1).get("hash").asText());
        }
        assertThat(events.get(0).get("previousHash").asText()).isEqualTo(EventHashes.GENESIS);

        List<ConsumerRecord<String, String>> published = KafkaTestConsumer.read(Topics.INCIDENT_EVENTS,
                r -> caseId.equals(r.key()), 4, Duration.ofSeconds(30));
        assertThat(published).hasSize(4);
        for (int i = 0; i < 4; i++) {
            JsonNode envelope = json.readTree(published.get(i).value());
            assertThat(envelope.get("hash").asText()).isEqualTo(events.get(i).get("hash").asText());
            assertThat(envelope.get("previousHash").asText()).isEqualTo(events.get(i).get("previousHash").asText());
        }
    }

    @Test
    void anExportVerifiesOfflineAndIsRecorded() throws Exception {
        String caseId = record("CHAIN-EXPORT");
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("auditor.ines", Roles.AUDITOR));
        String body = http.exchange("/allegations/" + caseId + "/export", HttpMethod.GET, new HttpEntity<>(headers),
                String.class).getBody();
        CaseExport export = json.copy().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .readValue(body, CaseExport.class);
        assertThat(export.streams()).hasSize(1);
        assertThat(export.streams().get(0).events()).hasSize(4);
        assertThat(ExportVerifier.verify(export)).isEmpty();
        assertThat(export.streams().get(0).headHash()).isEqualTo(get("/allegations/" + caseId + "/integrity").get("headHash").asText());
        assertThat(mongo.getDatabase(DATABASE).getCollection("export_log")
                .countDocuments(new Document("actor", "auditor.ines").append("filter.caseId", caseId))).isEqualTo(1);
    }

    @Test
    void aLongCaseWithSnapshotsIsReadAsItsWholeStream() {
        String caseId = "CHAIN-LONG";
        post("/allegations", AllegationMother.fileRequest(caseId));
        for (int i = 0; i < 60; i++) {
            post("/allegations/" + caseId + "/evidence", AllegationMother.evidence(EventHashes.sha256(caseId + i)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                mongo.getDatabase(DATABASE).getCollection("snapshotevents").countDocuments(
                        new Document("aggregateIdentifier", caseId)) > 0);
        JsonNode events = get("/allegations/" + caseId + "/events");
        assertThat(events).hasSize(61);
        assertThat(events.get(0).get("type").asText()).isEqualTo("AllegationFiled");
        assertThat(get("/allegations/" + caseId + "/replay")).hasSize(61);
        assertThat(get("/allegations/" + caseId + "/integrity").get("status").asText()).isEqualTo("VERIFIED");
    }

    @Test
    void aStreamLongerThanWhatIsWrittenInMemoryGoesOutAsItIsReadInTheSameBytes() {
        String caseId = record("CHAIN-STREAMED");
        ResponseEntity<String> streamed = getResponse("/allegations/" + caseId + "/events");
        assertThat(streamed.getStatusCode().value()).isEqualTo(200);
        assertThat(streamed.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(streamed.getHeaders().getContentLength()).as("sent as it is read: no length ahead").isEqualTo(-1);

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        List<Long> lengths = new ArrayList<>();
        boolean found = new CaseEventStream(engine, apiJson, CaseEventStream.WHOLE_UP_TO).write(caseId, length -> {
            lengths.add(length);
            return whole;
        });
        assertThat(found).isTrue();
        assertThat(lengths).as("held whole, then opened once with its length").containsExactly((long) whole.size());
        assertThat(streamed.getBody()).isEqualTo(whole.toString(StandardCharsets.UTF_8));
        assertThat(get("/allegations/" + caseId + "/events")).extracting(e -> e.get("sequence").asLong())
                .containsExactly(0L, 1L, 2L, 3L);

        // exactly as many events as are written in memory: whole, with its length
        String three = "CHAIN-THREE";
        post("/allegations", AllegationMother.fileRequest(three));
        post("/allegations/" + three + "/assessments", AllegationMother.dismissal());
        post("/allegations/" + three + "/evidence", AllegationMother.evidence(EventHashes.sha256(three)));
        ResponseEntity<String> whole3 = getResponse("/allegations/" + three + "/events");
        assertThat(whole3.getHeaders().getContentLength())
                .isEqualTo(whole3.getBody().getBytes(StandardCharsets.UTF_8).length);
        assertThat(get("/allegations/" + three + "/events")).hasSize(3);

        // a client that leaves mid-stream is no failure of the case
        List<Long> opened = new ArrayList<>();
        boolean ended = new CaseEventStream(engine, apiJson, 3).write(caseId, length -> {
            opened.add(length);
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("Broken pipe");
                }
            };
        });
        assertThat(ended).isTrue();
        assertThat(opened).containsExactly(-1L);
    }

    @Test
    void anUnreadableStoredEventIsAProblemBeforeTheStreamBeginsAndCutsTheTransferAfter() throws Exception {
        String early = record("CHAIN-UNREADABLE-EARLY");
        makeUnreadable(early, 1);
        ResponseEntity<String> refused = getResponse("/allegations/" + early + "/events");
        assertThat(refused.getStatusCode().value()).isEqualTo(500);
        assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(refused.getBody()).doesNotContain("AllegationFiled");

        String late = record("CHAIN-UNREADABLE-LATE");
        makeUnreadable(late, 3); // the fourth event: the response has begun with the first three
        // the connection is dropped mid-transfer (no last chunk): the read fails, where an early end would parse
        assertThatThrownBy(() -> getResponse("/allegations/" + late + "/events"))
                .isInstanceOf(RestClientException.class).hasRootCauseInstanceOf(IOException.class);

        // the same, told apart where the stream is written: before anything is opened, and after
        List<Long> opened = new ArrayList<>();
        CaseEventStream.Destination sink = length -> {
            opened.add(length);
            return new ByteArrayOutputStream();
        };
        CaseEventStream threeInMemory = new CaseEventStream(engine, apiJson, 3);
        assertThatThrownBy(() -> threeInMemory.write(early, sink)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not write event 1 (").hasMessageContaining("of case " + early);
        assertThat(opened).as("nothing sent").isEmpty();
        assertThatThrownBy(() -> threeInMemory.write(late, sink)).isInstanceOf(CaseEventStream.CutShortException.class)
                .hasMessageContaining("could not write event 3 (");
        assertThat(opened).as("begun with the first three, length unknown").containsExactly(-1L);
    }

    @Test
    void anEventEditedInTheDatabaseIsNamed() {
        String caseId = record("CHAIN-EDITED");
        Document dismissal = storedEvent(caseId, 1);
        Object payload = dismissal.get("serializedPayload");
        assertThat(payload).isInstanceOf(String.class);
        String forged = ((String) payload).replace("insufficient information to assess", "the strike was lawful");
        assertThat(forged).isNotEqualTo(payload);
        events().updateOne(Filters.eq("_id", dismissal.get("_id")),
                new Document("$set", new Document("serializedPayload", forged)));

        JsonNode report = get("/allegations/" + caseId + "/integrity");
        assertThat(report.get("status").asText()).isEqualTo("BROKEN");
        assertThat(report.at("/firstBreak/sequence").asLong()).isEqualTo(1);
        assertThat(report.at("/firstBreak/eventId").asText()).isEqualTo(dismissal.getString("eventIdentifier"));
        assertThat(report.at("/firstBreak/type").asText()).isEqualTo("AllegationDismissed");
        assertThat(report.at("/firstBreak/problem").asText()).isEqualTo("HASH_MISMATCH");
    }

    @Test
    void anEventDeletedFromTheMiddleIsNamed() {
        String caseId = record("CHAIN-DELETED");
        Document evidence = storedEvent(caseId, 2);
        events().deleteOne(Filters.eq("_id", evidence.get("_id")));

        JsonNode report = get("/allegations/" + caseId + "/integrity");
        assertThat(report.get("status").asText()).isEqualTo("BROKEN");
        assertThat(report.at("/firstBreak/problem").asText()).isEqualTo("SEQUENCE_GAP");
        assertThat(report.at("/firstBreak/sequence").asLong()).isEqualTo(3);
        assertThat(report.at("/firstBreak/detail").asText()).contains("expected sequence 2");
    }

    @Test
    void aRemovedTailIsCaughtAgainstTheViews() {
        String caseId = record("CHAIN-TRUNCATED");
        events().deleteOne(Filters.eq("_id", storedEvent(caseId, 3).get("_id")));

        JsonNode report = get("/allegations/" + caseId + "/integrity");
        assertThat(report.get("status").asText()).isEqualTo("BROKEN");
        assertThat(report.at("/firstBreak/problem").asText()).isEqualTo("SEQUENCE_GAP");
        assertThat(report.at("/firstBreak/sequence").asLong()).isEqualTo(3);
    }

    /** Files, dismisses, attaches evidence and reopens a case; waits until the views have all four events. */
    private String record(String caseId) {
        post("/allegations", AllegationMother.fileRequest(caseId));
        post("/allegations/" + caseId + "/assessments", AllegationMother.dismissal());
        post("/allegations/" + caseId + "/evidence", AllegationMother.evidence(EventHashes.sha256(caseId)));
        post("/allegations/" + caseId + "/reopenings",
                java.util.Map.of("newEvidenceIds", List.of("E-1"), "reason", "new evidence"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/allegations/" + caseId).path("lastSequence").asLong() == 3);
        return caseId;
    }

    /** Replaces the stored payload of the case's event {@code sequence} with JSON that does not parse. */
    private void makeUnreadable(String caseId, long sequence) {
        events().updateOne(Filters.eq("_id", storedEvent(caseId, sequence).get("_id")),
                new Document("$set", new Document("serializedPayload", "{\"reason\": \"unterminated")));
    }

    private MongoCollection<Document> events() {
        return mongo.getDatabase(DATABASE).getCollection("domainevents");
    }

    private Document storedEvent(String caseId, long sequence) {
        Document doc = events().find(Filters.and(Filters.eq("aggregateIdentifier", caseId),
                Filters.eq("sequenceNumber", sequence))).first();
        assertThat(doc).as("stored event %s/%d", caseId, sequence).isNotNull();
        return doc;
    }

    private void post(String path, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer(AllegationMother.ACTOR, Roles.CASEWORKER));
        var response = http.exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), String.class);
        assertThat(response.getStatusCode().value()).as("POST %s: %s", path, response.getBody()).isEqualTo(201);
    }

    private JsonNode get(String path) {
        try {
            return json.readTree(getResponse(path).getBody());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private ResponseEntity<String> getResponse(String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("auditor.ines", Roles.AUDITOR, Roles.CASEWORKER));
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }
}
