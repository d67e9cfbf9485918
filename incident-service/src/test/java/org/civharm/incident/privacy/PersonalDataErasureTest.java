package org.civharm.incident.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoClient;
import org.bson.Document;
import org.civharm.contract.Topics;
import org.civharm.contract.integrity.CaseExport;
import org.civharm.contract.integrity.ExportVerifier;
import org.civharm.incident.config.Roles;
import org.civharm.incident.support.AllegationMother;
import org.civharm.incident.support.KafkaTestConsumer;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Victims' and witnesses' identities: sealed in every event, store, view and Kafka record; shown only to cleared
 * readers; and after erasure unreadable everywhere — live view, as-of view, rebuilt view, export — while the case
 * history and its hash chain stay valid.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PersonalDataErasureTest {

    private static final String DATABASE = "incident_privacy_test";
    private static final String NAME = "Amina Haddad";
    private static final String WITNESS = "Khaled Saleh";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, DATABASE);
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    MongoClient mongo;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void identitiesAreSealedShownOnlyToClearedReadersAndErasable() throws Exception {
        String caseId = "PRIVACY-1";
        call(HttpMethod.POST, "/allegations", AllegationMother.fileRequest(caseId), caseworker(), 201);
        JsonNode victim = call(HttpMethod.POST, "/allegations/" + caseId + "/victims", Map.of("harm", "KILLED",
                "ageGroup", "ADULT", "sex", "FEMALE", "name", NAME, "contact", "+963 555 0100",
                "details", "mother of three"), caseworker(), 201);
        String subjectId = victim.get("subjectId").asText();
        call(HttpMethod.POST, "/allegations/" + caseId + "/witness-statements", Map.of("name", WITNESS,
                "personalPart", "lives two houses away", "summary", "saw the house collapse after a strike at night",
                "takenOn", "2018-02-10", "takenBy", "Amnesty International"), caseworker(), 201);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                call(HttpMethod.GET, "/allegations/" + caseId, null, caseworker(), 200).path("lastSequence").asLong() == 2);

        JsonNode asCaseworker = call(HttpMethod.GET, "/allegations/" + caseId, null, caseworker(), 200);
        assertThat(asCaseworker.at("/victims/0/person/name").asText()).isEqualTo(NAME);
        assertThat(asCaseworker.at("/witnessStatements/0/person/name").asText()).isEqualTo(WITNESS);
        JsonNode asAuditor = call(HttpMethod.GET, "/allegations/" + caseId, null, auditor(), 200);
        assertThat(asAuditor.at("/victims/0/person/name").asText()).isEqualTo("[redacted]");
        assertThat(asAuditor.toString()).doesNotContain(NAME).doesNotContain(subjectId);

        // Nothing stored or published holds the plaintext.
        assertThat(rawText("domainevents")).doesNotContain(NAME).doesNotContain(WITNESS).contains(subjectId);
        assertThat(rawText(currentSummaryCollection())).doesNotContain(NAME).doesNotContain(WITNESS);
        List<String> published = KafkaTestConsumer.read(Topics.INCIDENT_EVENTS, r -> caseId.equals(r.key()), 3,
                Duration.ofSeconds(30)).stream().map(r -> r.value()).toList();
        assertThat(published).hasSize(3);
        assertThat(String.join("\n", published)).doesNotContain(NAME).doesNotContain(WITNESS).contains("AES-256-GCM");

        // Erasure: only an admin, then the victim's identity is gone everywhere; the witness's is not.
        call(HttpMethod.DELETE, "/data-subjects/" + subjectId, Map.of("reason", "request of the family"), caseworker(), 403);
        call(HttpMethod.DELETE, "/data-subjects/" + subjectId, Map.of("reason", "request of the family"), admin(), 204);
        call(HttpMethod.DELETE, "/data-subjects/DS-00000000-0000-0000-0000-000000000000", null, admin(), 404);

        JsonNode after = call(HttpMethod.GET, "/allegations/" + caseId, null, caseworker(), 200);
        assertThat(after.at("/victims/0/person/name").asText()).isEqualTo("[erased]");
        assertThat(after.at("/victims/0/harm").asText()).isEqualTo("KILLED");
        assertThat(after.at("/witnessStatements/0/person/name").asText()).isEqualTo(WITNESS);
        JsonNode asOf = call(HttpMethod.GET, "/allegations/" + caseId + "?asOf=" + java.time.Instant.now(), null,
                caseworker(), 200);
        assertThat(asOf.at("/victims/0/person/name").asText()).isEqualTo("[erased]");

        // The history and its hash chain are intact; the export verifies offline and holds no plaintext of the erased.
        assertThat(call(HttpMethod.GET, "/allegations/" + caseId + "/integrity", null, auditor(), 200)
                .get("status").asText()).isEqualTo("VERIFIED");
        call(HttpMethod.GET, "/allegations/" + caseId + "/export?includePersonalData=true", null, auditor(), 403);
        JsonNode export = call(HttpMethod.GET, "/allegations/" + caseId + "/export?includePersonalData=true", null,
                TestTokens.bearer("auditor.cleared", Roles.AUDITOR, Roles.INVESTIGATOR), 200);
        assertThat(ExportVerifier.verify(json.treeToValue(export, CaseExport.class))).isEmpty();
        assertThat(export.toString()).doesNotContain(NAME).contains(WITNESS);
        assertThat(mongo.getDatabase(DATABASE).getCollection("export_log").countDocuments(
                new Document("filter.caseId", caseId).append("filter.includePersonalData", true))).isEqualTo(1);

        // A view rebuilt after the erasure cannot bring the identity back.
        call(HttpMethod.POST, "/admin/projections/allegation-views/rebuild", null, admin(), 202);
        await().atMost(Duration.ofSeconds(60)).until(() -> !call(HttpMethod.GET, "/admin/projections", null, admin(), 200)
                .get(0).at("/rebuild/finishedAt").isMissingNode());
        JsonNode rebuilt = call(HttpMethod.GET, "/allegations/" + caseId, null, caseworker(), 200);
        assertThat(rebuilt.at("/victims/0/person/name").asText()).isEqualTo("[erased]");
        assertThat(rebuilt.at("/witnessStatements/0/person/name").asText()).isEqualTo(WITNESS);
    }

    @Test
    void aRefusedRecordingLeavesNoKeyAndNoEvent() {
        call(HttpMethod.POST, "/allegations/NO-SUCH-CASE/victims", Map.of("harm", "INJURED", "name", "Someone"),
                caseworker(), 404);
        call(HttpMethod.POST, "/allegations/NO-SUCH-CASE/victims", Map.of("harm", "INJURED"), caseworker(), 400);
        assertThat(mongo.getDatabase(DATABASE).getCollection("data_subject_keys")
                .countDocuments(new Document("key", new Document("$exists", true)).append("erasedAt", new Document("$exists", true))))
                .isZero();
    }

    private String currentSummaryCollection() {
        Document pointer = mongo.getDatabase(DATABASE).getCollection("view_pointers").find(new Document("_id", "allegation_summaries")).first();
        return pointer == null ? "allegation_summaries" : pointer.getString("collection");
    }

    private String rawText(String collection) {
        List<String> docs = new ArrayList<>();
        mongo.getDatabase(DATABASE).getCollection(collection).find().forEach(d -> docs.add(d.toJson()));
        return String.join("\n", docs);
    }

    private static String caseworker() {
        return TestTokens.bearer(AllegationMother.ACTOR, Roles.CASEWORKER);
    }

    private static String auditor() {
        return TestTokens.bearer("auditor.ines", Roles.AUDITOR);
    }

    private static String admin() {
        return TestTokens.bearer("admin.omar", Roles.ADMIN);
    }

    private JsonNode call(HttpMethod method, String path, Object body, String token, int expectedStatus) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, token);
        ResponseEntity<String> response = http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
        assertThat(response.getStatusCode().value()).as("%s %s: %s", method, path, response.getBody()).isEqualTo(expectedStatus);
        try {
            return response.getBody() == null ? json.createObjectNode() : json.readTree(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
