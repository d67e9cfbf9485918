package org.civharm.accountability.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.civharm.accountability.config.Roles;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Base of the integration tests: accountability-service on a real KRaft broker and the Mongo-wire server. Every
 * subclass shares this one Spring context (same configuration, so the context cache hands out the same instance):
 * one listener in the {@code accountability-service} consumer group, one database. Tests use distinct case ids.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServiceIntegrationTest {

    public static final String DATABASE = "accountability_it";
    public static final String CONSUMER_GROUP = "accountability-service";
    protected static final Duration WAIT = Duration.ofSeconds(30);

    /** Reads responses keeping every decimal exactly as written (no binary floating point, no stripped zeros). */
    protected static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, DATABASE, CONSUMER_GROUP);
    }

    @Autowired
    protected TestRestTemplate http;
    @Autowired
    protected EventStore eventStore;

    protected ResponseEntity<String> post(String path, Object body) {
        return post(path, body, AccountabilityMother.ACTOR);
    }

    /** Posts as {@code actor} (the token's subject) holding both writing roles of this service; null: no token. */
    protected ResponseEntity<String> post(String path, Object body, String actor) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (actor != null) {
            headers.set(HttpHeaders.AUTHORIZATION,
                    TestTokens.bearer(actor, Roles.INVESTIGATOR, Roles.ACCOUNTABILITY_OFFICER));
        }
        return http.exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), String.class);
    }

    /** Reads as a user who may read everything here, operations included. */
    protected ResponseEntity<String> get(String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("reader", Roles.AUDITOR, Roles.CASEWORKER, Roles.ADMIN));
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    protected static JsonNode body(ResponseEntity<String> response) {
        try {
            return EXACT.readTree(response.getBody());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    protected static List<String> fields(ResponseEntity<String> problem) {
        assertThat(problem.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        return body(problem).get("errors").findValuesAsText("field");
    }

    protected static int status(ResponseEntity<String> response) {
        return response.getStatusCode().value();
    }

    /** Number of events in the case's stream in this service's event store. */
    protected long streamLength(String caseId) {
        return eventStore.readEvents(caseId).asStream().count();
    }

    protected void awaitRecordOpened(String caseId) {
        await().atMost(WAIT).until(() -> streamLength(caseId) >= 1);
    }

    /** Waits until the record view has applied the event at {@code sequence}, then returns the record. */
    protected JsonNode awaitView(String caseId, long sequence) {
        await().atMost(WAIT).until(() -> {
            ResponseEntity<String> r = get("/cases/" + caseId);
            return status(r) == 200 && body(r).at("/record/lastSequence").asLong() >= sequence;
        });
        return body(get("/cases/" + caseId)).get("record");
    }

    /** Waits until the case file holds {@code count} events, then returns them in the given order. */
    protected JsonNode awaitFile(String caseId, int count, String order) {
        await().atMost(WAIT).until(() -> {
            ResponseEntity<String> r = get("/cases/" + caseId + "/file?order=" + order);
            return status(r) == 200 && body(r).get("count").asInt() >= count;
        });
        return body(get("/cases/" + caseId + "/file?order=" + order)).get("entries");
    }

    protected static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
