package org.civharm.incident.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import org.bson.Document;
import org.civharm.incident.eventstore.SequencedMongoEventStorageEngine;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.incident.config.Roles;
import org.civharm.incident.support.AllegationMother;
import org.civharm.incident.support.BoundStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.incident.support.BoundStream.utf8;
import static org.awaitility.Awaitility.await;

/**
 * Schema evolution: an event stored in the first contract shape (a fixture of that shape written straight into the
 * event store) is read correctly after the contract changed — by the aggregate (its rules apply), by the event
 * stream endpoint, and by a view rebuilt from the store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OldContractShapeTest {

    private static final String DATABASE = "incident_upcasting_test";
    /** AllegationFiled as the first contract version stored it. */
    private static final String V0_PAYLOAD = """
            {"caseId": "LEGACY-2017-1", "source": {"name": "Airwars", "type": "NGO"}, "filedOn": "2017-07-02",
             "incidentDate": {"from": "2017-06-28", "to": "2017-06-28", "precision": "DAY"},
             "placeName": "Raqqa", "operation": "Raqqa 2017", "killedMin": 8, "killedMax": 12, "injuredMin": 3,
             "injuredMax": 10, "belligerents": [{"name": "US-led Coalition", "involvement": "SUSPECTED"}],
             "description": "Filed before the contract had places in several scripts.",
             "actor": "caseworker.old", "occurredAt": "2017-07-02T00:00:00Z", "recordedAt": "2017-07-03T09:00:00Z"}
            """;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, DATABASE);
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    MongoClient mongo;
    @Autowired
    SequencedMongoEventStorageEngine storageEngine;
    @Autowired
    EventStore eventStore;
    @Autowired
    ObjectMapper webJson;
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anEventInTheOldShapeIsReadInTheNewOne() throws Exception {
        String caseId = "LEGACY-2017-1";
        mongo.getDatabase(DATABASE).getCollection("domainevents").insertOne(new Document()
                .append("aggregateIdentifier", caseId).append("sequenceNumber", 0L).append("type", "Allegation")
                .append("timestamp", "2017-07-03T09:00:00Z").append("serializedPayload", V0_PAYLOAD)
                .append("payloadType", AllegationFiledEvent.class.getName()).append("payloadRevision", "0")
                .append("serializedMetaData", "{}").append("eventIdentifier", UUID.randomUUID().toString()));
        // stored before the store had global positions: given its place as at start-up after an upgrade
        storageEngine.prepare();

        JsonNode stream = json.readTree(call(HttpMethod.GET, "/allegations/" + caseId + "/events", null).getBody());
        JsonNode filed = stream.get(0).get("event");
        assertThat(filed.at("/place/names/0/name").asText()).isEqualTo("Raqqa");
        assertThat(filed.at("/casualties/killed/total/max").asInt()).isEqualTo(12);
        assertThat(filed.at("/casualties/injured/total/min").asInt()).isEqualTo(3);
        assertThat(filed.has("placeName")).isFalse();
        assertThat(filed.has("type")).as("the contract's type id, which the upcaster adds, is not served").isFalse();
        assertThat(filed.at("/source/type").asText()).isEqualTo("NGO");
        // served from the upcast JSON, as the API's mapper writes the event bound from it
        assertThat(call(HttpMethod.GET, "/allegations/" + caseId + "/events", null).getBody())
                .isEqualTo(utf8(webJson, BoundStream.of(eventStore, caseId)));

        // The aggregate rebuilds from the old shape and its rules apply.
        assertThat(call(HttpMethod.POST, "/allegations/" + caseId + "/assessments", AllegationMother.dismissal())
                .getStatusCode().value()).isEqualTo(201);
        assertThat(call(HttpMethod.POST, "/allegations/" + caseId + "/assessments", AllegationMother.dismissal())
                .getStatusCode().value()).isEqualTo(409);

        // A view rebuilt from the store reads it too.
        assertThat(call(HttpMethod.POST, "/admin/projections/allegation-views/rebuild", null).getStatusCode().value())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "NON_CREDIBLE".equals(json.readTree(call(HttpMethod.GET, "/allegations/" + caseId, null).getBody())
                        .path("status").asText()));
        JsonNode view = json.readTree(call(HttpMethod.GET, "/allegations/" + caseId, null).getBody());
        assertThat(view.at("/casualties/killed/total/min").asInt()).isEqualTo(8);
        assertThat(view.at("/place/names/0/name").asText()).isEqualTo("Raqqa");
    }

    private ResponseEntity<String> call(HttpMethod method, String path, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer(AllegationMother.ACTOR, Roles.CASEWORKER, Roles.ADMIN));
        return http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
    }
}
