package org.civharm.incident.restart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.civharm.incident.IncidentServiceApplication;
import org.civharm.incident.support.AllegationMother;
import org.civharm.incident.support.KafkaTestConsumer;
import org.civharm.incident.config.Roles;
import org.civharm.incident.support.TestInfrastructure;
import org.civharm.incident.support.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.civharm.contract.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.client.DefaultResponseErrorHandler;
import org.springframework.http.client.ClientHttpResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops incident-service and starts it again on the same Mongo database: the aggregate is rebuilt from its stored
 * stream (its rules still apply), the views are intact, and the processors resume from their stored tokens without
 * re-projecting or re-publishing from scratch.
 */
class RestartOnSameStoreTest {

    private static final String DATABASE = "incident_restart_test";
    private final ObjectMapper json = new ObjectMapper();
    private final RestTemplate http = lenient(new RestTemplate());

    @Test
    void aggregateAndViewsSurviveARestart() throws Exception {
        String caseId = "RESTART-1";
        try (ConfigurableApplicationContext first = start()) {
            String base = baseUrl(first);
            assertThat(post(base + "/allegations", AllegationMother.fileRequest(caseId)).getStatusCode().value()).isEqualTo(201);
            assertThat(post(base + "/allegations/" + caseId + "/assessments", AllegationMother.dismissal())
                    .getStatusCode().value()).isEqualTo(201);
            assertThat(post(base + "/allegations/" + caseId + "/evidence", AllegationMother.evidence("12".repeat(32)))
                    .getStatusCode().value()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(20)).until(() -> view(base, caseId).path("lastSequence").asLong() == 2);
        }

        try (ConfigurableApplicationContext second = start()) {
            String base = baseUrl(second);
            JsonNode view = view(base, caseId);
            assertThat(view.get("status").asText()).isEqualTo("NON_CREDIBLE");
            assertThat(view.get("evidence")).hasSize(1);

            // The rebuilt aggregate still knows it is dismissed and which evidence is new since the dismissal.
            ResponseEntity<String> refused = post(base + "/allegations/" + caseId + "/assessments", AllegationMother.acknowledgement(8));
            assertThat(refused.getStatusCode().value()).isEqualTo(409);
            ResponseEntity<String> duplicateEvidence = post(base + "/allegations/" + caseId + "/evidence",
                    AllegationMother.evidence("12".repeat(32)));
            assertThat(duplicateEvidence.getStatusCode().value()).isEqualTo(409);
            assertThat(post(base + "/allegations/" + caseId + "/reopenings",
                    Map.of("newEvidenceIds", List.of("E-1"), "reason", "new video")).getStatusCode().value()).isEqualTo(201);
            assertThat(post(base + "/allegations/" + caseId + "/assessments", AllegationMother.acknowledgement(8))
                    .getStatusCode().value()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(20)).until(() -> view(base, caseId).path("lastSequence").asLong() == 4);
            JsonNode after = view(base, caseId);
            assertThat(after.get("status").asText()).isEqualTo("CREDIBLE");
            assertThat(after.get("dismissalReversed").asBoolean()).isTrue();
            JsonNode events = json.readTree(http.exchange(base + "/allegations/" + caseId + "/events", HttpMethod.GET, new HttpEntity<>(readerHeaders()), String.class).getBody());
            assertThat(events).hasSize(5);

            // The publisher resumed from its stored token: each event is on the topic once, in order.
            List<ConsumerRecord<String, String>> published = KafkaTestConsumer.read(Topics.INCIDENT_EVENTS,
                    r -> caseId.equals(r.key()), 6, Duration.ofSeconds(8));
            assertThat(published).extracting(r -> json.readTree(r.value()).get("sequence").asLong())
                    .containsExactly(0L, 1L, 2L, 3L, 4L);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(IncidentServiceApplication.class).run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrap(),
                "--spring.data.mongodb.uri=" + TestInfrastructure.mongoUri(),
                "--civharm.mongo.database=" + DATABASE,
                "--civharm.security.jwt.public-key-location=" + TestTokens.publicKeyPem());
    }

    private static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    private JsonNode view(String base, String caseId) throws Exception {
        ResponseEntity<String> response = http.exchange(base + "/allegations/" + caseId, HttpMethod.GET,
                new HttpEntity<>(readerHeaders()), String.class);
        return response.getStatusCode().is2xxSuccessful() ? json.readTree(response.getBody()) : json.createObjectNode();
    }

    private static HttpHeaders readerHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("reader", Roles.CASEWORKER));
        return headers;
    }

    private ResponseEntity<String> post(String url, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer(AllegationMother.ACTOR, Roles.CASEWORKER));
        return http.exchange(url, HttpMethod.POST, new HttpEntity<>(body, headers), String.class);
    }

    private static RestTemplate lenient(RestTemplate template) {
        template.setErrorHandler(new DefaultResponseErrorHandler() {
            @Override
            public boolean hasError(ClientHttpResponse response) {
                return false;
            }
        });
        return template;
    }
}
