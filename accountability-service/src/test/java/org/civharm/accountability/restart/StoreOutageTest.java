package org.civharm.accountability.restart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.civharm.accountability.AccountabilityServiceApplication;
import org.civharm.accountability.config.Roles;
import org.civharm.accountability.support.AccountabilityMother;
import org.civharm.accountability.support.IncidentMother;
import org.civharm.accountability.support.IncidentTopic;
import org.civharm.accountability.support.TestInfrastructure;
import org.civharm.accountability.support.TestTokens;
import org.civharm.contract.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Mongo-wire server (file store) goes away under a running accountability-service and comes back on the same
 * port: commands during the outage get 503 with Retry-After as problem+json and leave nothing half-applied, reads get
 * 503 (never 500), the Kafka listener skips nothing produced meanwhile (applied after the restart), and the service
 * recovers with no manual step.
 * <p>
 * Its own application context, because it needs its own Mongo server to stop: its own database and a consumer group of
 * its own, started at the topics' current end (so it does not re-apply what other tests published). Its cases are
 * never acknowledged — the record is opened by hand after a dismissal — so neither this instance nor the shared test
 * context opens a record for a case of the other: the only events this instance publishes are of its own records, and
 * the shared context merely files them in its case file under case ids no other test reads. The context is closed at
 * the end, so nothing publishes afterwards.
 */
class StoreOutageTest {

    private static final String GROUP = "accountability-outage-" + UUID.randomUUID();
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void during_an_outage_commands_and_reads_get_503_and_the_service_recovers_by_itself() throws Exception {
        String opened = "OUTAGE-A-" + UUID.randomUUID().toString().substring(0, 8);
        String fed = "OUTAGE-B-" + UUID.randomUUID().toString().substring(0, 8);
        String never = "OUTAGE-C-" + UUID.randomUUID().toString().substring(0, 8);
        startGroupAtTheEnd();

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path file = dir.resolve("outage.mv");
        MongoServer mongo = new MongoServer(new H2Backend(file.toString()));
        mongo.bind("127.0.0.1", port);
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(AccountabilityServiceApplication.class)
                .run("--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrap(),
                        "--spring.kafka.consumer.group-id=" + GROUP,
                        "--spring.data.mongodb.uri=mongodb://127.0.0.1:" + port,
                        "--civharm.mongo.database=accountability_outage_test",
                        "--civharm.mongo.server-selection-timeout=1s",
                        "--civharm.kafka.create-topics=false",
                        "--civharm.kafka.retry.max-interval-ms=1000",
                        "--civharm.security.jwt.public-key-location=" + TestTokens.publicKeyPem())) {
            String base = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
            // published after the group's start offsets: this instance reads them
            IncidentTopic.publish(IncidentMother.filed(opened), 0);
            IncidentTopic.publish(IncidentMother.dismissed(opened), 1);
            IncidentTopic.publish(IncidentMother.filed(never), 0);
            IncidentTopic.publish(IncidentMother.dismissed(never), 1);
            // filed and dismissed, in the case file (and so in the incident copy, written first)
            await().atMost(Duration.ofSeconds(30)).until(() -> fileCount(base, opened) == 2
                    && fileCount(base, never) == 2);
            assertThat(status(post(base, "/cases", AccountabilityMother.openRequest(opened)))).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(get(base, "/cases/" + opened)) == 200);
            IncidentTopic.publish(IncidentMother.filed(fed), 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> fileCount(base, fed) == 1);

            mongo.shutdownNow();
            Instant down = Instant.now();
            List<HttpResponse<String>> refused = new ArrayList<>();
            refused.add(post(base, "/cases/" + opened + "/investigations", AccountabilityMother.investigationRequest()));
            refused.add(post(base, "/cases/" + opened + "/correspondence", AccountabilityMother.letterRequest()));
            refused.add(post(base, "/cases", AccountabilityMother.openRequest(never)));
            for (HttpResponse<String> r : refused) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).contains("5");
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                assertThat(json.readTree(r.body()).get("status").asInt()).isEqualTo(503);
            }
            for (String path : List.of("/cases/" + opened, "/cases/" + opened + "/file", "/cases/" + opened + "/events",
                    "/cases?size=5", "/amends", "/register", "/admin/dead-letters", "/cases/" + opened + "/replay")) {
                HttpResponse<String> r = get(base, path);
                assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path)
                        .startsWith("application/problem+json");
            }
            // produced while the store is away: the listener must not skip it
            IncidentTopic.publish(IncidentMother.revised(fed, 1, Instant.parse("2018-08-02T10:00:00Z")), 1);
            assertThat(Duration.between(down, Instant.now())).isLessThan(Duration.ofSeconds(40));

            mongo = new MongoServer(new H2Backend(file.toString()));
            mongo.bind("127.0.0.1", port);
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() ->
                    status(post(base, "/cases/" + opened + "/investigations",
                            AccountabilityMother.investigationRequest())) == 201);
            JsonNode events = json.readTree(get(base, "/cases/" + opened + "/events").body());
            // opened + the investigation after the outage; nothing of the refused investigation and letter
            assertThat(events).hasSize(2);
            assertThat(events.get(1).get("type").asText()).isEqualTo("InvestigationOpened");
            assertThat(status(get(base, "/cases/" + never + "/events"))).isEqualTo(404);
            await().atMost(Duration.ofSeconds(40)).until(() -> fileCount(base, fed) == 2);
            await().atMost(Duration.ofSeconds(40)).until(() -> status(get(base, "/cases/" + opened)) == 200
                    && json.readTree(get(base, "/cases/" + opened).body()).at("/record/stage").asText()
                    .equals("INVESTIGATING"));
        } finally {
            mongo.shutdownNow();
        }
    }

    /** Commits the group's offsets at each partition's current end: it reads only what is published from now on. */
    private static void startGroupAtTheEnd() throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrap()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : List.of(Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS)) {
                for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, end) ->
                    start.put(tp, new OffsetAndMetadata(end.offset())));
            admin.alterConsumerGroupOffsets(GROUP, start).all().get(10, TimeUnit.SECONDS);
        }
    }


    private int fileCount(String base, String caseId) throws Exception {
        HttpResponse<String> r = get(base, "/cases/" + caseId + "/file");
        return r.statusCode() == 200 ? json.readTree(r.body()).get("count").asInt() : -1;
    }

    private HttpResponse<String> post(String base, String path, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", TestTokens.bearer(AccountabilityMother.ACTOR, Roles.INVESTIGATOR,
                                Roles.ACCOUNTABILITY_OFFICER))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", TestTokens.bearer("reader", Roles.AUDITOR, Roles.CASEWORKER, Roles.ADMIN))
                        .timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int status(HttpResponse<String> r) {
        return r.statusCode();
    }
}
