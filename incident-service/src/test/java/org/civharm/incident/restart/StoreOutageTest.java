package org.civharm.incident.restart;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.IncidentServiceApplication;
import org.civharm.incident.config.Roles;
import org.civharm.incident.support.AllegationMother;
import org.civharm.incident.support.TestInfrastructure;
import org.civharm.incident.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Mongo-wire server (file store) goes away under a running service and comes back: commands during the outage
 * get 503 with Retry-After and leave nothing half-applied; afterwards the service recovers by itself.
 */
class StoreOutageTest {

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void commandsDuringAnOutageGet503AndTheServiceRecovers() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path file = dir.resolve("outage.mv");
        MongoServer mongo = new MongoServer(new H2Backend(file.toString()));
        mongo.bind("127.0.0.1", port);
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(IncidentServiceApplication.class).run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrap(),
                "--spring.data.mongodb.uri=mongodb://127.0.0.1:" + port,
                "--civharm.mongo.database=incident_outage_test",
                "--civharm.mongo.server-selection-timeout=2s",
                "--civharm.security.jwt.public-key-location=" + TestTokens.publicKeyPem())) {
            String base = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
            String caseId = "OUTAGE-1";
            assertThat(post(base + "/allegations", AllegationMother.fileRequest(caseId)).statusCode()).isEqualTo(201);

            mongo.shutdownNow();
            HttpResponse<String> refused = post(base + "/allegations/" + caseId + "/evidence",
                    AllegationMother.evidence(EventHashes.sha256("during outage")));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("5");
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

            mongo = new MongoServer(new H2Backend(file.toString()));
            mongo.bind("127.0.0.1", port);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                    post(base + "/allegations/" + caseId + "/evidence",
                            AllegationMother.evidence(EventHashes.sha256("after outage"))).statusCode() == 201);
            String events = http.send(HttpRequest.newBuilder(URI.create(base + "/allegations/" + caseId + "/events"))
                    .header("Authorization", TestTokens.bearer("auditor", Roles.AUDITOR)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(json.readTree(events)).hasSize(2); // filed + the evidence after the outage; nothing from the refusal
            assertThat(events).doesNotContain(EventHashes.sha256("during outage"));
        } finally {
            mongo.shutdownNow();
        }
    }

    private HttpResponse<String> post(String url, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", TestTokens.bearer(AllegationMother.ACTOR, Roles.CASEWORKER))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
