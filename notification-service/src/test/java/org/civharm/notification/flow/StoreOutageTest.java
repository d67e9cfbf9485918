package org.civharm.notification.flow;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.civharm.notification.NotificationServiceApplication;
import org.civharm.notification.support.CaseEvents;
import org.civharm.notification.support.Http;
import org.civharm.notification.support.TestClock;
import org.civharm.notification.support.TestClockConfig;
import org.civharm.notification.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Mongo-wire server goes away under a running service and comes back on the same port with the same data (as a
 * mongod restarted on its disk would): during the outage every endpoint that needs the store answers 503 with
 * Retry-After and problem+json — reads too, never a 500 — and changes nothing; the listener does not skip the records
 * published meanwhile, they are applied once the store is back; the service recovers without anyone stepping in.
 * Short driver timeouts (server selection 1.5 s) keep the refusals prompt.
 */
class StoreOutageTest {

    private static final TestClock CLOCK = TestClock.INSTANCE;
    private static final CaseEvents EVENTS = new CaseEvents();

    /** The store's data outlives the server process, like a database on disk. */
    private static final class DurableMemoryBackend extends MemoryBackend {
        @Override
        public void close() {
            // the server stops; its data stays
        }
    }

    @AfterAll
    static void close() {
        EVENTS.close();
    }

    @Test
    void duringAnOutageEveryStoreEndpointIs503NothingIsHalfAppliedAndTheServiceRecoversByItself() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DurableMemoryBackend backend = new DurableMemoryBackend();
        MongoServer mongo = new MongoServer(backend);
        mongo.bind("127.0.0.1", port);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String before = "OUTAGE-BEFORE-" + suffix;
        String during = "OUTAGE-DURING-" + suffix;
        List<String> args = new ArrayList<>(List.of("server.port=0"));
        args.addAll(TestInfrastructure.properties("notification_outage_test", "notification-outage-" + suffix));
        args.removeIf(a -> a.startsWith("spring.data.mongodb.uri="));
        args.add("spring.data.mongodb.uri=mongodb://127.0.0.1:" + port
                + "/?serverSelectionTimeoutMS=1500&connectTimeoutMS=1000&socketTimeoutMS=5000");
        args.add("civharm.kafka.retry-max-interval=1s");
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(NotificationServiceApplication.class,
                TestClockConfig.class).run(args.stream().map(a -> "--" + a).toArray(String[]::new))) {
            Http http = new Http("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port"));
            String alertId = before + ":assessment-due:" + EVENTS.filed(before, CLOCK.instant().minus(Duration.ofDays(40)))
                    .eventId();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(http.get("/alerts/" + alertId).status()).isEqualTo(200));
            String policies = http.get("/policies").json().get("version").toString();
            String alertBefore = http.get("/alerts/" + alertId).text();

            mongo.shutdownNow();
            long outageStarted = System.nanoTime();
            // published while the store is down: the listener must wait for the store, not skip the record
            String duringId = during + ":assessment-due:" + EVENTS.filed(during, CLOCK.instant()).eventId();

            // all at once, as clients would: each is refused within the driver's server-selection timeout
            List<java.util.function.Supplier<Http.Answer>> calls = List.of(
                    () -> http.put("/policies", "admin.omar", "{\"assessment-due\": {\"days\": 10}}"),
                    () -> http.post("/alerts/" + alertId + "/acknowledgements", "caseworker.amal", "{\"comment\": \"on it\"}"),
                    () -> http.post("/admin/dead-letters/" + before + "/retries", "admin.omar", null),
                    () -> http.get("/policies"),
                    () -> http.get("/alerts/" + alertId),
                    () -> http.get("/alerts?case=" + before),
                    () -> http.get("/obligations?case=" + before),
                    () -> http.get("/deliveries?size=5"),
                    () -> http.get("/parked-records"),
                    () -> http.get("/admin/dead-letters"),
                    () -> http.get("/admin/projections"));
            List<java.util.concurrent.CompletableFuture<Http.Answer>> pending = calls.stream()
                    .map(java.util.concurrent.CompletableFuture::supplyAsync).toList();
            List<Http.Answer> answers = pending.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            for (Http.Answer a : answers) {
                assertThat(a.status()).as(a.text()).isEqualTo(503);
                assertThat(a.contentType()).startsWith("application/problem+json");
                assertThat(a.json().get("title").asText()).isEqualTo("Store unavailable");
            }
            assertThat(answers).allSatisfy(a -> assertThat(a.header("Retry-After")).isEqualTo("5"));

            mongo = new MongoServer(backend);
            mongo.bind("127.0.0.1", port);
            System.out.printf("outage lasted %d ms%n", (System.nanoTime() - outageStarted) / 1_000_000);

            // Recovery without manual steps: the record published during the outage is applied, writes work again.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(http.get("/obligations/" + duringId).status()).isEqualTo(200));
            // Nothing of the refused requests was applied.
            assertThat(http.get("/policies").json().get("version").toString()).isEqualTo(policies);
            assertThat(http.get("/alerts/" + alertId).text()).isEqualTo(alertBefore);
            Http.Answer ack = http.post("/alerts/" + alertId + "/acknowledgements", "caseworker.amal",
                    "{\"comment\": \"after the outage\"}");
            assertThat(ack.status()).as(ack.text()).isEqualTo(200);
            JsonNode history = http.get("/alerts/" + alertId).json().get("history");
            assertThat(history).hasSize(2);
            assertThat(http.put("/policies", "admin.omar", "{\"assessment-due\": {\"days\": 31}}").status()).isEqualTo(200);
            assertThat(http.get("/parked-records?size=200").text()).doesNotContain(during);
            assertThat(http.get("/obligations?case=" + during).json().get("total").asLong()).isEqualTo(2);
            assertThat(Instant.parse(http.get("/obligations/" + duringId).json().get("dueAt").asText()))
                    .isAfter(CLOCK.instant().plus(Duration.ofDays(30)));
        } finally {
            mongo.shutdownNow();
        }
    }
}
