package org.civharm.incident.restart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.IncidentServiceApplication;
import org.civharm.incident.config.Roles;
import org.civharm.incident.support.AllegationMother;
import org.civharm.incident.support.TestInfrastructure;
import org.civharm.incident.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of incident-service on the same store write to the same case at the same time: for each clash one
 * command wins and the other gets 409; the case stream stays contiguous and its hash chain verifies.
 */
class TwoInstancesOneCaseTest {

    private static final String DATABASE = "incident_two_instances_test";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void concurrentWritersNeverBreakTheStream() throws Exception {
        try (ConfigurableApplicationContext a = start(); ConfigurableApplicationContext b = start()) {
            List<String> bases = List.of(base(a), base(b));
            String caseId = "TWO-INSTANCES-1";
            assertThat(post(bases.get(0) + "/allegations", AllegationMother.fileRequest(caseId))).isEqualTo(201);

            int attempts = 40;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String base = bases.get(i % 2);
                Object body = AllegationMother.evidence(EventHashes.sha256("evidence-" + i));
                results.add(pool.submit(() -> post(base + "/allegations/" + caseId + "/evidence", body)));
            }
            int created = 0;
            int conflicts = 0;
            for (Future<Integer> r : results) {
                int status = r.get();
                assertThat(status).as("each clash: one 201, the other 409; never a 5xx").isIn(201, 409);
                if (status == 201) {
                    created++;
                } else {
                    conflicts++;
                }
            }
            pool.shutdown();
            assertThat(created).isPositive();

            JsonNode events = get(bases.get(1) + "/allegations/" + caseId + "/events");
            assertThat(events.size()).isEqualTo(1 + created);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).get("sequence").asLong()).isEqualTo(i);
            }
            JsonNode integrity = get(bases.get(0) + "/allegations/" + caseId + "/integrity");
            assertThat(integrity.get("status").asText()).isEqualTo("VERIFIED");
            System.out.printf("two instances, %d concurrent commands on one case: %d stored, %d refused with 409%n",
                    attempts, created, conflicts);
        }
    }

    /**
     * Each instance keeps the cases its commands loaded in memory. An instance whose copy is behind the other's
     * appends must not record on stale state: its append collides (409, nothing stored), the copy is dropped, and the
     * retry decides on the stored stream.
     */
    @Test
    void anInstanceBehindTheOtherRefusesOnceThenDecidesOnTheStoredStream() throws Exception {
        try (ConfigurableApplicationContext a = start(); ConfigurableApplicationContext b = start()) {
            String caseId = "TWO-INSTANCES-STALE";
            String onA = base(a) + "/allegations/" + caseId + "/evidence";
            String onB = base(b) + "/allegations/" + caseId + "/evidence";
            assertThat(post(base(a) + "/allegations", AllegationMother.fileRequest(caseId))).isEqualTo(201);
            assertThat(post(onA, AllegationMother.evidence(EventHashes.sha256("a-1")))).isEqualTo(201); // A holds seq 1
            assertThat(post(onB, AllegationMother.evidence(EventHashes.sha256("b-1")))).isEqualTo(201); // B loads, appends 2
            assertThat(post(onA, AllegationMother.evidence(EventHashes.sha256("a-2"))))
                    .as("A's copy ends at sequence 1: its append at 2 collides").isEqualTo(409);
            assertThat(post(onA, AllegationMother.evidence(EventHashes.sha256("a-2")))).isEqualTo(201);

            JsonNode events = get(base(b) + "/allegations/" + caseId + "/events");
            assertThat(events.size()).isEqualTo(4);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).get("sequence").asLong()).isEqualTo(i);
            }
            assertThat(get(base(a) + "/allegations/" + caseId + "/integrity").get("status").asText())
                    .isEqualTo("VERIFIED");
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

    private static String base(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    private int post(String url, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", TestTokens.bearer(AllegationMother.ACTOR, Roles.CASEWORKER))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private JsonNode get(String url) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", TestTokens.bearer("auditor", Roles.AUDITOR, Roles.CASEWORKER)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
