package org.civharm.incident.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.incident.support.AllegationMother;
import org.civharm.incident.support.BoundStream;
import org.civharm.incident.support.KafkaTestConsumer;
import org.civharm.incident.config.Roles;
import org.civharm.incident.support.TestInfrastructure;
import org.civharm.incident.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.incident.support.BoundStream.utf8;
import static org.awaitility.Awaitility.await;

/**
 * incident-service end to end over HTTP, against a real KRaft broker and the Mongo-wire server: cases filed and
 * assessed through the API, read back from the views, and read back from the Kafka topic by a plain consumer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
class AllegationApiTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "incident_api_test");
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    ObjectMapper json;
    @Autowired
    TokenStore tokens;
    @Autowired
    EventStore eventStore;

    @Test
    void raqqaStoryIsRecordedViewedAndPublishedInOrder() throws Exception {
        String caseId = "RAQQA-API-1";
        ResponseEntity<String> filed = post("/allegations", AllegationMother.fileRequest(caseId));
        assertThat(filed.getStatusCode().value()).isEqualTo(201);
        assertThat(filed.getHeaders().getLocation()).hasToString("/allegations/" + caseId);

        assertThat(post("/allegations/" + caseId + "/assessments", AllegationMother.dismissal()).getStatusCode().value())
                .isEqualTo(201);
        ResponseEntity<String> evidence = post("/allegations/" + caseId + "/evidence", AllegationMother.evidence("ab".repeat(32)));
        assertThat(evidence.getStatusCode().value()).isEqualTo(201);
        assertThat(body(evidence).get("evidenceId").asText()).isEqualTo("E-1");
        assertThat(post("/allegations/" + caseId + "/reopenings",
                Map.of("newEvidenceIds", List.of("E-1"), "reason", "video shows the house destroyed")).getStatusCode().value())
                .isEqualTo(201);
        assertThat(post("/allegations/" + caseId + "/assessments", AllegationMother.acknowledgement(8)).getStatusCode().value())
                .isEqualTo(201);
        Map<String, Object> revision = Map.of("casualties", AllegationMother.casualtiesBody(9, 12),
                "reason", "a ninth victim named by the family");
        assertThat(post("/allegations/" + caseId + "/casualty-revisions", revision).getStatusCode().value()).isEqualTo(201);

        // The view follows the stream.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode view = body(get("/allegations/" + caseId));
            assertThat(view.get("lastSequence").asLong()).isEqualTo(5);
        });
        JsonNode view = body(get("/allegations/" + caseId));
        assertThat(view.get("status").asText()).isEqualTo("CREDIBLE");
        assertThat(view.get("dismissalReversed").asBoolean()).isTrue();
        assertThat(view.at("/latestAssessment/concededKilled/min").asInt()).isEqualTo(8);
        assertThat(view.at("/latestAssessment/actor").asText()).isEqualTo(AllegationMother.ACTOR);
        assertThat(view.at("/casualties/killed/total/min").asInt()).isEqualTo(9);
        assertThat(view.get("casualtyRevisions").asInt()).isEqualTo(1);
        assertThat(view.at("/belligerents/0/position").asText()).isEqualTo("CREDIBLE");
        assertThat(view.at("/evidence/0/sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(view.at("/place/names/1/name").asText()).isEqualTo("الرقة");

        // The stream itself, in order, with who and when.
        JsonNode events = body(get("/allegations/" + caseId + "/events"));
        assertThat(events).hasSize(6);
        assertThat(types(events)).containsExactly("AllegationFiled", "AllegationDismissed", "EvidenceAttached",
                "AllegationReopened", "AllegationAcknowledged", "CasualtyFiguresRevised");
        assertThat(events.get(1).at("/event/statedReason").asText()).isEqualTo("insufficient information to assess");
        assertThat(events.get(4).at("/event/reversesDismissal").asBoolean()).isTrue();
        assertThat(events.get(5).at("/event/previous/killed/total/min").asInt()).isEqualTo(8);
        assertThat(events.get(4).at("/event/occurredAt").asText()).isEqualTo("2018-07-26T00:00:00Z");

        // As recorded at a given instant, and step by step: when the dismissal became an acknowledgement, and who.
        String dismissedAt = events.get(1).get("recordedAt").asText();
        String acknowledgedAt = events.get(4).get("recordedAt").asText();
        assertThat(body(get("/allegations/" + caseId + "?asOf=" + dismissedAt)).get("status").asText()).isEqualTo("NON_CREDIBLE");
        assertThat(body(get("/allegations/" + caseId + "?asOf=" + acknowledgedAt)).get("status").asText()).isEqualTo("CREDIBLE");
        assertThat(get("/allegations/" + caseId + "?asOf=2000-01-01T00:00:00Z").getStatusCode().value()).isEqualTo(404);
        // On the timeline of the world: dismissed (29 Dec 2017 report) before the July 2018 admission, credible after.
        assertThat(body(get("/allegations/" + caseId + "?timeline=OCCURRED&asOf=2018-01-15T00:00:00Z")).get("status").asText())
                .isEqualTo("NON_CREDIBLE");
        assertThat(body(get("/allegations/" + caseId + "?timeline=OCCURRED&asOf=2018-08-01T00:00:00Z")).get("status").asText())
                .isEqualTo("CREDIBLE");
        assertThat(get("/allegations/" + caseId + "?asOf=yesterday").getStatusCode().value()).isEqualTo(400);
        JsonNode replay = body(get("/allegations/" + caseId + "/replay"));
        assertThat(replay).hasSize(6);
        assertThat(replay.get(1).at("/stateAfter/status").asText()).isEqualTo("NON_CREDIBLE");
        assertThat(replay.get(3).at("/stateAfter/status").asText()).isEqualTo("REOPENED");
        assertThat(replay.get(4).get("type").asText()).isEqualTo("AllegationAcknowledged");
        assertThat(replay.get(4).get("actor").asText()).isEqualTo(AllegationMother.ACTOR);
        assertThat(replay.get(4).at("/stateAfter/status").asText()).isEqualTo("CREDIBLE");
        // The live view and the replayed final state are the same fold of the same stream.
        assertThat(replay.get(5).get("stateAfter")).isEqualTo(view);

        // A plain Kafka consumer sees the same six events, keyed by case id, in order.
        List<ConsumerRecord<String, String>> records = KafkaTestConsumer.read(Topics.INCIDENT_EVENTS,
                r -> caseId.equals(r.key()), 6, Duration.ofSeconds(30));
        assertThat(records).hasSize(6);
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
        List<EventEnvelope<IncidentEvent>> envelopes = records.stream().map(this::envelope).toList();
        assertThat(envelopes).extracting(EventEnvelope::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(envelopes).extracting(EventEnvelope::eventType).containsExactlyElementsOf(types(events));
        assertThat(envelopes.get(0).event()).isInstanceOf(AllegationFiledEvent.class);
        assertThat(((AllegationAcknowledgedEvent) envelopes.get(4).event()).concededKilled().min()).isEqualTo(8);
        for (int i = 0; i < records.size(); i++) {
            String eventId = new String(records.get(i).headers().lastHeader(EventHeaders.EVENT_ID).value(), StandardCharsets.UTF_8);
            assertThat(eventId).isEqualTo(events.get(i).get("eventId").asText()).isEqualTo(envelopes.get(i).eventId());
        }
    }

    /**
     * {@code /events} is written from the stored JSON without binding the events (CaseEventStream); it must be, byte
     * for byte, what binding each event and writing it with the API's mapper gives, for every kind of event.
     */
    @Test
    void theStreamIsServedExactlyAsItsEventsBoundAndWrittenByTheApi() throws Exception {
        String caseId = "STREAM-FORM-1";
        String duplicate = "STREAM-FORM-2";
        assertThat(post("/allegations", AllegationMother.fileRequest(caseId)).getStatusCode().value()).isEqualTo(201);
        assertThat(post("/allegations/" + caseId + "/victims", Map.of("harm", "KILLED", "ageGroup", "ADULT",
                "sex", "FEMALE", "name", "Amina Haddad", "details", "mother of three")).getStatusCode().value())
                .isEqualTo(201);
        assertThat(post("/allegations/" + caseId + "/witness-statements", Map.of("name", "Khaled Saleh",
                "summary", "saw the \"house\" collapse \\ at night\u2028\uD83D\uDE42 الرقة", "takenOn", "2018-02-10", "takenBy", "Amnesty International"))
                .getStatusCode().value()).isEqualTo(201);
        assertThat(post("/allegations/" + caseId + "/assessments", AllegationMother.dismissal()).getStatusCode().value())
                .isEqualTo(201);
        assertThat(post("/allegations/" + caseId + "/evidence", AllegationMother.evidence("cd".repeat(32)))
                .getStatusCode().value()).isEqualTo(201);
        assertThat(post("/allegations/" + caseId + "/reopenings", Map.of("newEvidenceIds", List.of("E-1"),
                "reason", "video shows the house destroyed")).getStatusCode().value()).isEqualTo(201);
        assertThat(post("/allegations/" + caseId + "/assessments", AllegationMother.acknowledgement(8))
                .getStatusCode().value()).isEqualTo(201);
        assertThat(post("/allegations/" + caseId + "/casualty-revisions", Map.of("casualties",
                AllegationMother.casualtiesBody(9, 12), "reason", "a ninth victim")).getStatusCode().value())
                .isEqualTo(201);
        assertThat(post("/allegations", AllegationMother.fileRequest(duplicate)).getStatusCode().value()).isEqualTo(201);
        assertThat(post("/allegations/" + duplicate + "/duplicate-of", Map.of("duplicateOfCaseId", caseId,
                "assessedBy", "analyst.omar", "reason", AllegationMother.DUPLICATE_REASON)).getStatusCode().value())
                .isEqualTo(201);

        ResponseEntity<String> response = get("/allegations/" + caseId + "/events");
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        String served = response.getBody();
        assertThat(response.getHeaders().getContentLength()).as("a case this short goes out whole, with its length")
                .isEqualTo(served.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(json.readTree(served).at("/2/event/summary").asText()).contains("\"house\"", "\\", "\u2028", "\uD83D\uDE42");
        assertThat(types(json.readTree(served))).containsExactly("AllegationFiled", "VictimIdentified",
                "WitnessStatementRecorded", "AllegationDismissed", "EvidenceAttached", "AllegationReopened",
                "AllegationAcknowledged", "CasualtyFiguresRevised");
        assertThat(served).isEqualTo(utf8(json, BoundStream.of(eventStore, caseId)));
        assertThat(get("/allegations/" + duplicate + "/events").getBody())
                .contains("AllegationMarkedDuplicate").isEqualTo(utf8(json, BoundStream.of(eventStore, duplicate)));
    }

    @Test
    void searchFiltersByStatusOperationPlaceAndText() {
        post("/allegations", withOperation(AllegationMother.fileRequest("SEARCH-MOSUL-1"), "Mosul 2017", "Mosul"));
        post("/allegations", AllegationMother.fileRequest("SEARCH-RAQQA-1"));
        post("/allegations/SEARCH-RAQQA-1/assessments", AllegationMother.dismissal());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(body(get("/allegations/SEARCH-RAQQA-1")).get("status").asText()).isEqualTo("NON_CREDIBLE"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/allegations/SEARCH-MOSUL-1").getStatusCode().value() == 200);

        assertThat(caseIds(get("/allegations?operation=mosul"))).containsExactly("SEARCH-MOSUL-1");
        assertThat(caseIds(get("/allegations?status=NON_CREDIBLE"))).contains("SEARCH-RAQQA-1").doesNotContain("SEARCH-MOSUL-1");
        assertThat(caseIds(get("/allegations?place=الرقة&operation=Raqqa"))).contains("SEARCH-RAQQA-1").doesNotContain("SEARCH-MOSUL-1");
        assertThat(caseIds(get("/allegations?q=INSUFFICIENT information"))).contains("SEARCH-RAQQA-1");
        assertThat(caseIds(get("/allegations?incidentFrom=2017-06-29"))).doesNotContain("SEARCH-RAQQA-1");
        assertThat(caseIds(get("/allegations?incidentFrom=2017-06-01&incidentTo=2017-06-28&belligerent=coalition")))
                .contains("SEARCH-RAQQA-1");
        // Regex metacharacters are literal text, not a pattern: ".*" matches nothing.
        assertThat(caseIds(get("/allegations?q=.*"))).isEmpty();
        JsonNode page = body(get("/allegations?size=1&page=0&sort=CASE_ID&direction=asc"));
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(2);

        // Triage: same operation, overlapping dates → a possible duplicate; another operation is not.
        post("/allegations", AllegationMother.fileRequest("SEARCH-RAQQA-2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/allegations/SEARCH-RAQQA-2").getStatusCode().value() == 200);
        List<String> candidates = body(get("/allegations/SEARCH-RAQQA-2/possible-duplicates")).findValuesAsText("caseId");
        assertThat(candidates).contains("SEARCH-RAQQA-1").doesNotContain("SEARCH-MOSUL-1", "SEARCH-RAQQA-2");

        ResponseEntity<String> badStatus = get("/allegations?status=MAYBE");
        assertThat(badStatus.getStatusCode().value()).isEqualTo(400);
        assertThat(body(badStatus).at("/errors/0/field").asText()).isEqualTo("status");
        assertThat(get("/allegations?size=0").getStatusCode().value()).isEqualTo(400);
        // Operators in query parameters are literal text, never executed.
        assertThat(caseIds(get("/allegations?q[$ne]=x"))).contains("SEARCH-RAQQA-1"); // unknown parameter: ignored
        assertThat(caseIds(get(java.net.URI.create(http.getRootUri()
                + "/allegations?operation=%7B%22%24gt%22%3A%20%22%22%7D")))).isEmpty();
        assertThat(caseIds(get("/allegations?source=$where"))).isEmpty();
    }

    @Test
    void invalidInputIsRefusedNamingTheFieldAndStoresNothing() {
        Map<String, Object> request = AllegationMother.fileRequest("INVALID-1");
        @SuppressWarnings("unchecked")
        Map<String, Object> total = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                request.get("casualties")).get("killed")).get("total");
        total.put("min", 20);
        total.put("max", 10);
        request.put("filedOn", "2999-01-01");
        ResponseEntity<String> refused = post("/allegations", request);
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(fields(body(refused))).contains("filedOn");

        request.put("filedOn", "2017-06-30");
        refused = post("/allegations", request);
        assertThat(fields(body(refused))).containsExactly("casualties.killed.total.min");

        Map<String, Object> unknownField = AllegationMother.fileRequest("INVALID-1");
        unknownField.put("victimNickname", "x");
        assertThat(fields(body(post("/allegations", unknownField)))).containsExactly("victimNickname");

        Map<String, Object> wrongType = AllegationMother.fileRequest("INVALID-1");
        wrongType.put("incidentDate", Map.of("from", "28 June", "precision", "DAY"));
        assertThat(fields(body(post("/allegations", wrongType)))).containsExactly("incidentDate.from");

        Map<String, Object> endBeforeStart = AllegationMother.fileRequest("INVALID-1");
        endBeforeStart.put("incidentDate", Map.of("from", "2017-06-28", "to", "2017-06-01", "precision", "RANGE"));
        assertThat(fields(body(post("/allegations", endBeforeStart)))).containsExactly("incidentDate.to");

        ResponseEntity<String> noToken = http.exchange("/allegations", HttpMethod.POST,
                new HttpEntity<>(AllegationMother.fileRequest("INVALID-1"), jsonHeaders(null)), String.class);
        assertThat(noToken.getStatusCode().value()).isEqualTo(401);
        assertThat(noToken.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);

        Map<String, Object> huge = AllegationMother.fileRequest("INVALID-1");
        huge.put("description", "x".repeat(400_000));
        ResponseEntity<String> tooLarge = post("/allegations", huge);
        assertThat(tooLarge.getStatusCode().value()).isEqualTo(413);
        assertThat(tooLarge.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        Map<String, Object> longText = AllegationMother.fileRequest("INVALID-1");
        longText.put("description", "x".repeat(20_001));
        assertThat(fields(body(post("/allegations", longText)))).containsExactly("description");
        Map<String, Object> operatorInBody = AllegationMother.fileRequest("INVALID-1");
        operatorInBody.put("operation", Map.of("$ne", ""));
        assertThat(fields(body(post("/allegations", operatorInBody)))).containsExactly("operation");

        assertThat(get("/allegations/INVALID-1/events").getStatusCode().value()).isEqualTo(404);
        assertThat(get("/allegations/INVALID-1").getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void illegalTransitionsAreRefusedWithTheReasonAndStoreNothing() {
        String caseId = "CONFLICT-1";
        assertThat(post("/allegations", AllegationMother.fileRequest(caseId)).getStatusCode().value()).isEqualTo(201);
        assertThat(post("/allegations", AllegationMother.fileRequest(caseId)).getStatusCode().value()).isEqualTo(409);

        assertThat(post("/allegations/" + caseId + "/assessments", AllegationMother.dismissal()).getStatusCode().value())
                .isEqualTo(201);
        ResponseEntity<String> again = post("/allegations/" + caseId + "/assessments", AllegationMother.acknowledgement(3));
        assertThat(again.getStatusCode().value()).isEqualTo(409);
        assertThat(body(again).get("detail").asText()).contains("reopen it on new evidence first");

        ResponseEntity<String> noNewEvidence = post("/allegations/" + caseId + "/reopenings",
                Map.of("newEvidenceIds", List.of("E-9"), "reason", "x"));
        assertThat(noNewEvidence.getStatusCode().value()).isEqualTo(409);

        ResponseEntity<String> missingCase = post("/allegations/NO-SUCH-CASE/evidence", AllegationMother.evidence("cd".repeat(32)));
        assertThat(missingCase.getStatusCode().value()).isEqualTo(404);
        ResponseEntity<String> missingTarget = post("/allegations/" + caseId + "/duplicate-of",
                Map.of("duplicateOfCaseId", "NO-SUCH-CASE", "assessedBy", "civharm triage", "reason", "same strike"));
        assertThat(missingTarget.getStatusCode().value()).isEqualTo(409);
        assertThat(fields(body(missingTarget))).containsExactly("duplicateOfCaseId");

        assertThat(body(get("/allegations/" + caseId + "/events"))).hasSize(2);
    }

    /**
     * A client re-filing an existing case over and over (a retry loop, a replayed import) is refused each time and
     * leaves the processors nothing to wait for: the refused appends' positions are voided, not kept as gaps in every
     * processor's token (thousands of gaps once filled the heap), and the next case still reaches the view and Kafka.
     */
    @Test
    void refiledCasesAreRefusedAndLeaveTheProcessorsNoGaps() {
        String caseId = "REFILED-1";
        assertThat(post("/allegations", AllegationMother.fileRequest(caseId)).getStatusCode().value()).isEqualTo(201);
        for (int i = 0; i < 200; i++) {
            assertThat(post("/allegations", AllegationMother.fileRequest(caseId)).getStatusCode().value()).isEqualTo(409);
        }
        String next = "REFILED-2";
        assertThat(post("/allegations", AllegationMother.fileRequest(next)).getStatusCode().value()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("/allegations/" + next).getStatusCode().value()).isEqualTo(200));
        assertThat(KafkaTestConsumer.read(Topics.INCIDENT_EVENTS, r -> next.equals(r.key()), 1, Duration.ofSeconds(30)))
                .hasSize(1);
        assertThat(body(get("/allegations/" + caseId + "/events"))).hasSize(1);
        for (String processor : List.of("allegation-views", "kafka-publisher")) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                GapAwareTrackingToken token = (GapAwareTrackingToken) tokens.fetchToken(processor, 0);
                assertThat(token.getIndex()).as(processor + " past the refusals").isGreaterThanOrEqualTo(202);
                assertThat(token.getGaps()).as(processor).isEmpty();
            });
        }
    }

    @Test
    void documentsItsApiAndReportsHealthAndMetrics() {
        JsonNode api = body(get("/v3/api-docs"));
        assertThat(api.get("paths").has("/allegations/{caseId}/events")).isTrue();
        assertThat(api.get("paths").has("/allegations/{caseId}/reopenings")).isTrue();

        ResponseEntity<String> health = get("/actuator/health");
        assertThat(health.getStatusCode().value()).isEqualTo(200);
        assertThat(body(health).at("/components/kafka/status").asText()).isEqualTo("UP");
        assertThat(body(health).at("/components/mongo/status").asText()).isEqualTo("UP");

        ResponseEntity<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.getStatusCode().value()).isEqualTo(200);
        assertThat(metrics.getBody()).contains("http_server_requests");
    }

    private Map<String, Object> withOperation(Map<String, Object> request, String operation, String place) {
        request.put("operation", operation);
        request.put("place", Map.of("names", List.of(Map.of("language", "en", "name", place))));
        return request;
    }

    private ResponseEntity<String> post(String path, Object body) {
        return http.exchange(path, HttpMethod.POST,
                new HttpEntity<>(body, jsonHeaders(TestTokens.bearer(AllegationMother.ACTOR, Roles.CASEWORKER))), String.class);
    }

    /** Reads as a user who may read everything here (caseworker, auditor and admin at once). */
    private ResponseEntity<String> get(String path) {
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(readerHeaders()), String.class);
    }

    private ResponseEntity<String> get(java.net.URI uri) {
        return http.exchange(uri, HttpMethod.GET, new HttpEntity<>(readerHeaders()), String.class);
    }

    private static HttpHeaders readerHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("reader", Roles.CASEWORKER, Roles.AUDITOR, Roles.ADMIN));
        return headers;
    }

    private static HttpHeaders jsonHeaders(String authorization) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        }
        return headers;
    }

    private JsonNode body(ResponseEntity<String> response) {
        try {
            return json.readTree(response.getBody());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    private List<String> caseIds(ResponseEntity<String> response) {
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        return body(response).get("items").findValuesAsText("caseId");
    }

    private static List<String> fields(JsonNode problem) {
        return problem.get("errors").findValuesAsText("field");
    }

    private static List<String> types(JsonNode events) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        events.forEach(e -> out.add(e.get("type").asText()));
        return out;
    }

    private EventEnvelope<IncidentEvent> envelope(ConsumerRecord<String, String> record) {
        try {
            return json.readerFor(json.getTypeFactory().constructParametricType(EventEnvelope.class, IncidentEvent.class))
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(record.value());
        } catch (Exception e) {
            throw new AssertionError("unreadable record " + record.value(), e);
        }
    }
}
