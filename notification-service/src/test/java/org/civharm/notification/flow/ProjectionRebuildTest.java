package org.civharm.notification.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import org.bson.Document;
import org.civharm.contract.Topics;
import org.civharm.notification.service.AlertService;
import org.civharm.notification.service.RebuildableProjection;
import org.civharm.notification.service.WriteLock;
import org.civharm.notification.support.CaseEvents;
import org.civharm.notification.support.Http;
import org.civharm.notification.support.TestClock;
import org.civharm.notification.support.TestClockConfig;
import org.civharm.notification.support.TestInfrastructure;
import org.civharm.notification.support.TestTokens;
import org.civharm.notification.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both views rebuilt from their source into new collections while readers keep getting answers: {@code case-facts}
 * from the topics from offset 0, {@code obligations} from the facts and the policies. The state is realistic: cases in
 * every stage, an overdue alert acknowledged by a caseworker and one escalated by time, a policy changed and one
 * disabled (its open obligations cancelled), a poison record holding a case. After each switch the rebuilt collection
 * equals the one it replaced, document for document and field for field — no field is ignored: what the log cannot
 * say (when the service saw a fact or changed an obligation, a missed deadline, a cancellation by a policy since
 * disabled) is carried over by design. Alerts and deliveries are not projections: they are the same afterwards, and
 * nothing is sent again. New events land in the rebuilt collections.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfig.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProjectionRebuildTest {

    private static final String DATABASE = "notification_rebuild_test";
    private static final TestClock CLOCK = TestClock.INSTANCE;
    private static final WebhookReceiver WEBHOOK = receiver();
    private static final CaseEvents EVENTS = new CaseEvents();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, DATABASE, Map.of(
                "civharm.channels.webhook.url", WEBHOOK.url(),
                "civharm.channels.webhook.secret", TestInfrastructure.WEBHOOK_SECRET));
    }

    @AfterAll
    static void close() {
        EVENTS.close();
        WEBHOOK.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    List<RebuildableProjection> projections;
    @Autowired
    AlertService alertService;
    @Autowired
    WriteLock writeLock;
    @Autowired
    MongoClient mongo;

    @Test
    void eachViewIsRebuiltEqualToTheOneItReplacedWhileReadersCarryOnAndNothingIsSentAgain() throws Exception {
        Http http = new Http("http://127.0.0.1:" + port);
        List<String> cases = buildState(http);
        awaitQuiet(http);
        String alerts = dump("alerts");
        String deliveries = dump("deliveries");
        int webhookCalls = WEBHOOK.requests(r -> true).size();

        AtomicInteger reads = new AtomicInteger();
        List<String> failedReads = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                for (String path : List.of("/obligations?case=" + cases.get(0), "/obligations?state=OVERDUE&size=200",
                        "/alerts?case=" + cases.get(0))) {
                    try {
                        Http.Answer a = http.get(path);
                        reads.incrementAndGet();
                        if (a.status() != 200) {
                            failedReads.add(path + ": " + a.status() + " " + a.text());
                        }
                    } catch (RuntimeException e) {
                        failedReads.add(path + ": " + e);
                    }
                }
                try {
                    Thread.sleep(10); // a steady reader, not a load test: leave the two cores to the rebuild
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-reader");
        reader.start();
        try {
            for (String name : List.of("case-facts", "obligations")) {
                rebuildAndCompare(http, name);
            }
        } finally {
            stop.set(true);
            reader.join();
        }
        assertThat(reads.get()).isPositive();
        assertThat(failedReads).isEmpty();

        // Nothing is notified again: the evaluation after the rebuild finds nothing to raise, settle or queue.
        AlertService.Evaluation evaluation = alertService.evaluate();
        assertThat(evaluation.raised() + evaluation.settled() + evaluation.queued() + evaluation.markedOverdue())
                .as(evaluation.toString()).isZero();
        assertThat(dump("alerts")).isEqualTo(alerts);
        assertThat(dump("deliveries")).isEqualTo(deliveries);
        assertThat(WEBHOOK.requests(r -> true)).hasSize(webhookCalls);

        // The live feed writes into the rebuilt collections.
        String late = "REBUILT-" + SUFFIX;
        String id = late + ":assessment-due:" + EVENTS.filed(late, CLOCK.instant()).eventId();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/obligations/" + id).status()).isEqualTo(200));
        String liveObligations = liveCollections(http).get("obligations");
        assertThat(liveObligations).startsWith("obligations_");
        assertThat(mongo.getDatabase(DATABASE).getCollection(liveObligations).countDocuments(new Document("_id", id)))
                .isEqualTo(1);
        assertThat(mongo.getDatabase(DATABASE).getCollection(liveCollections(http).get("case-facts"))
                .countDocuments(new Document("caseId", late))).isEqualTo(1);
    }

    @Test
    void unknownNamesAre404AndOnlyAdministratorsRebuild() throws Exception {
        Http http = new Http("http://127.0.0.1:" + port);
        Http.Answer unknown = http.post("/admin/projections/alerts/rebuild", "ops", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().get("detail").asText()).contains("obligations").contains("case-facts");
        HttpResponse<String> caseworker = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/admin/projections/obligations/rebuild"))
                .header("Authorization", TestTokens.bearer("cw", "CASEWORKER"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(caseworker.statusCode()).isEqualTo(403);
    }

    /**
     * Cases in every stage; returns the case ids. The first case has an overdue alert a caseworker acknowledged, the
     * second one escalated by time.
     */
    private List<String> buildState(Http http) {
        Instant longAgo = CLOCK.instant().minus(Duration.ofDays(45));
        LocalDate today = CLOCK.instant().atZone(ZoneOffset.UTC).toLocalDate();
        List<String> cases = new ArrayList<>();
        for (String stage : List.of("ACKED", "ESCALATED", "ASSESSED", "LETTERS", "DISMISSED", "CLOSED", "FRESH")) {
            cases.add("RB-" + stage + "-" + SUFFIX);
        }
        List<String> alertIds = new ArrayList<>();
        alertIds.add(cases.get(0) + ":assessment-due:" + EVENTS.filed(cases.get(0), longAgo).eventId());
        alertIds.add(cases.get(1) + ":assessment-due:" + EVENTS.filed(cases.get(1), longAgo).eventId());
        EVENTS.filed(cases.get(2), longAgo);
        EVENTS.acknowledged(cases.get(2), longAgo.plus(Duration.ofDays(10)));
        EVENTS.filed(cases.get(3), longAgo);
        EVENTS.acknowledged(cases.get(3), longAgo.plus(Duration.ofDays(5)));
        EVENTS.letterSent(cases.get(3), "L-1", today.minusDays(3), longAgo.plus(Duration.ofDays(6)));
        EVENTS.letterSent(cases.get(3), "L-2", today.plusDays(20), longAgo.plus(Duration.ofDays(7)));
        EVENTS.letterSent(cases.get(3), "L-3", null, longAgo.plus(Duration.ofDays(8)));
        EVENTS.letterAnswered(cases.get(3), "L-3", longAgo.plus(Duration.ofDays(12)));
        EVENTS.investigationOpened(cases.get(3), longAgo.plus(Duration.ofDays(20)));
        EVENTS.filed(cases.get(4), longAgo);
        EVENTS.dismissed(cases.get(4), longAgo.plus(Duration.ofDays(3)));
        EVENTS.filed(cases.get(5), longAgo);
        EVENTS.acknowledged(cases.get(5), longAgo.plus(Duration.ofDays(2)));
        EVENTS.recordClosed(cases.get(5), longAgo.plus(Duration.ofDays(30)));
        EVENTS.filed(cases.get(6), CLOCK.instant());
        // a poison record holds a case: its later filing is held, in the live view and in the rebuilt one
        String poisoned = "RB-POISON-" + SUFFIX;
        EVENTS.raw(Topics.INCIDENT_EVENTS, poisoned, "not an envelope");
        EVENTS.filed(poisoned, longAgo);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String alertId : alertIds) {
                assertThat(http.get("/alerts/" + alertId).status()).isEqualTo(200);
            }
            assertThat(http.get("/obligations?case=" + cases.get(3) + "&policy=letter-reply-due").json()
                    .get("total").asLong()).isEqualTo(3);
            assertThat(http.get("/obligations?case=" + cases.get(6)).json().get("total").asLong()).isPositive();
            assertThat(http.get("/admin/dead-letters/" + poisoned).json().path("held").asLong()).isEqualTo(1);
        });
        // a caseworker acknowledges one alert; a week later the other, unacknowledged, is escalated
        assertThat(http.post("/alerts/" + alertIds.get(0) + "/acknowledgements", "caseworker.amal",
                "{\"comment\": \"reminder sent to the CIVCAS cell\"}").status()).isEqualTo(200);
        CLOCK.advance(Duration.ofDays(8));
        assertThat(alertService.evaluate().escalated()).isPositive();
        // policies change: a longer amends deadline (pending ones move), open-too-long switched off (cancelled)
        Http.Answer changed = http.put("/policies", "admin.omar",
                "{\"amends-offer-due\": {\"days\": 120}, \"open-too-long\": {\"enabled\": false}}");
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(http.get("/obligations?case=" + cases.get(6) + "&policy=open-too-long").json()
                .at("/items/0/state").asText()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(30)).until(() -> dump("deliveries").contains("PENDING") == false);
        return cases;
    }

    private void rebuildAndCompare(Http http, String name) throws Exception {
        String before = projection(http, name).get("collection").asText();
        // Hold the write lock, as a burst of live writes would: the rebuild catches up, then waits to switch.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = new Thread(() -> writeLock.run(() -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        writer.start();
        holding.await();
        try {
            Http.Answer started = http.post("/admin/projections/" + name + "/rebuild", "admin.omar", null);
            assertThat(started.status()).as(started.text()).isEqualTo(202);
            assertThat(started.json().get("phase").asText()).isEqualTo("CATCHING_UP");
            assertThat(started.json().get("collection").asText()).startsWith(name.equals("obligations")
                    ? "obligations_" : "case_facts_");

            // During the rebuild: progress is shown, a second rebuild is refused, readers get answers.
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    projection(http, name).at("/rebuild/phase").asText().equals("DRAINING"));
            JsonNode running = projection(http, name);
            assertThat(running.get("collection").asText()).isEqualTo(before);
            assertThat(running.at("/rebuild/done").asLong()).isPositive();
            assertThat(running.at("/rebuild/total").asLong()).isGreaterThanOrEqualTo(running.at("/rebuild/done").asLong());
            assertThat(running.at("/rebuild/rate").asDouble()).isPositive();
            assertThat(running.at("/rebuild").has("etaSeconds")).isTrue();
            assertThat(running.at("/rebuild/fraction").asDouble()).isBetween(0.0, 1.0);
            assertThat(running.at("/rebuild/finishedAt").isMissingNode() || running.at("/rebuild/finishedAt").isNull())
                    .isTrue();
            for (String any : List.of("case-facts", "obligations")) {
                Http.Answer refused = http.post("/admin/projections/" + any + "/rebuild", "admin.omar", null);
                assertThat(refused.status()).as(refused.text()).isEqualTo(409);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.json().get("detail").asText()).contains("already running");
            }
            assertThat(http.get("/obligations?size=200").status()).isEqualTo(200);
        } finally {
            release.countDown();
            writer.join();
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                projection(http, name).path("rebuild").hasNonNull("finishedAt"));
        JsonNode status = projection(http, name);
        assertThat(status.at("/rebuild/phase").asText()).as(status.toString()).isEqualTo("DONE");
        String after = status.get("collection").asText();
        assertThat(after).isNotEqualTo(before).isEqualTo(status.at("/rebuild/collection").asText());
        assertThat(status.get("replacedCollection").asText()).isEqualTo(before);
        assertThat(status.at("/rebuild/done").asLong()).isPositive().isEqualTo(status.at("/rebuild/total").asLong());
        assertThat(status.at("/rebuild/fraction").asDouble()).isEqualTo(1.0);
        assertThat(status.at("/rebuild/rate").asDouble()).isPositive();
        assertThat(status.at("/rebuild/etaSeconds").asDouble()).isZero();
        if (name.equals("case-facts")) {
            assertThat(status.at("/rebuild/skipped").asLong()).as("the poison record and the one held behind it")
                    .isGreaterThanOrEqualTo(2);
        }

        RebuildableProjection projection = projections.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow();
        List<Document> replaced = projection.contents(before);
        List<Document> rebuilt = projection.contents(after);
        assertThat(rebuilt).isNotEmpty().hasSize(replaced.size());
        for (int i = 0; i < rebuilt.size(); i++) {
            assertThat(rebuilt.get(i).toJson()).isEqualTo(replaced.get(i).toJson());
        }
    }

    /** Nothing in flight: the listener has handled every record, and the views stay the same a moment later. */
    private void awaitQuiet(Http http) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (JsonNode p : http.get("/admin/projections").json()) {
                if (p.get("lag").asLong() != 0) {
                    return false;
                }
            }
            String facts = dumpLive(http, "case-facts");
            return facts.equals(dumpLive(http, "case-facts"));
        });
    }

    private String dumpLive(Http http, String name) {
        return dump(liveCollections(http).get(name));
    }

    private String dump(String collection) {
        StringBuilder out = new StringBuilder();
        mongo.getDatabase(DATABASE).getCollection(collection).find().sort(new Document("_id", 1))
                .forEach(d -> out.append(d.toJson()).append('\n'));
        return out.toString();
    }

    private static Map<String, String> liveCollections(Http http) {
        Map<String, String> out = new java.util.TreeMap<>();
        http.get("/admin/projections").json().forEach(p -> out.put(p.get("name").asText(), p.get("collection").asText()));
        return out;
    }

    private static JsonNode projection(Http http, String name) {
        for (JsonNode p : http.get("/admin/projections").json()) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private static WebhookReceiver receiver() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
