package org.civharm.notification.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.MongoTimeoutException;
import org.civharm.contract.Topics;
import org.civharm.notification.api.CaseFact;
import org.civharm.notification.store.FactStore;
import org.civharm.notification.service.AlertService;
import org.civharm.notification.support.CaseEvents;
import org.civharm.notification.support.Http;
import org.civharm.notification.support.TestClock;
import org.civharm.notification.support.TestClockConfig;
import org.civharm.notification.support.TestInfrastructure;
import org.civharm.notification.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

/**
 * The REST API over a running service (real KRaft broker, Mongo-wire server, local webhook receiver): obligations
 * and alerts as events arrive, acknowledgement and escalation, cancellation when a case closes, policies (validated,
 * stored, re-evaluating due dates), parked records, OpenAPI, health and metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@Import(TestClockConfig.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class NotificationApiTest {

    private static final TestClock CLOCK = TestClock.INSTANCE;
    private static final WebhookReceiver WEBHOOK = receiver();
    private static final CaseEvents EVENTS = new CaseEvents();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "notification_api_test", Map.of(
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
    AlertService alertService;
    @MockitoSpyBean
    FactStore factStore;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void aLetterWhoseResponseDateHasPassedIsOverdueAtOnceAndItsAnswerResolvesTheAlert() {
        String caseId = newCase("LETTER");
        LocalDate today = CLOCK.instant().atZone(ZoneOffset.UTC).toLocalDate();
        CaseEvents.Published sent = EVENTS.letterSent(caseId, "L-1", today.minusDays(10), CLOCK.instant().minus(Duration.ofDays(40)));
        String id = caseId + ":letter-reply-due:" + sent.eventId();

        // No evaluation run, no clock moved: the obligation is overdue as soon as the event is read.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/alerts/" + id).status()).isEqualTo(200));
        JsonNode obligation = http.get("/obligations/" + id).json();
        assertThat(obligation.get("state").asText()).isEqualTo("OVERDUE");
        assertThat(obligation.get("subjectId").asText()).isEqualTo("L-1");
        assertThat(obligation.get("dueAt").asText()).isEqualTo(today.minusDays(9) + "T00:00:00Z");
        assertThat(obligation.get("awaited").asText()).contains("L-1");
        assertThat(obligation.get("alertId").asText()).isEqualTo(id);
        JsonNode alert = http.get("/alerts/" + id).json();
        assertThat(alert.get("state").asText()).isEqualTo("OPEN");
        assertThat(alert.get("policy").asText()).isEqualTo("letter-reply-due");
        assertThat(alert.get("escalationDueAt").asText()).isNotBlank();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(WEBHOOK.forCase(caseId)).hasSize(1));

        // An answer to another letter meets nothing; the answer to L-1 resolves the alert.
        EVENTS.letterAnswered(caseId, "L-2", CLOCK.instant());
        CaseEvents.Published answered = EVENTS.letterAnswered(caseId, "L-1", CLOCK.instant());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/alerts/" + id).json().path("state").asText()).isEqualTo("RESOLVED"));
        assertThat(http.get("/obligations/" + id).json().at("/closedBy/eventId").asText()).isEqualTo(answered.eventId());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(WEBHOOK.forCase(caseId))
                .extracting(r -> r.header("X-Civharm-Event-Type")).containsExactly("AlertRaised", "AlertResolved"));
    }

    @Test
    void caseworkersAcknowledgeAlertsAndAlertsNobodyAcknowledgesAreEscalatedAfterTheDelay() {
        String owned = newCase("ACK");
        String ignored = newCase("IGNORED");
        String ownedAlert = caseId(owned, "assessment-due", EVENTS.filed(owned, CLOCK.instant().minus(Duration.ofDays(45))));
        String ignoredAlert = caseId(ignored, "assessment-due", EVENTS.filed(ignored, CLOCK.instant().minus(Duration.ofDays(45))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(http.get("/alerts/" + ownedAlert).status()).isEqualTo(200);
            assertThat(http.get("/alerts/" + ignoredAlert).status()).isEqualTo(200);
        });

        // Refusals name the field, and change nothing.
        Http.Answer noActor = http.post("/alerts/" + ownedAlert + "/acknowledgements", null, "{\"comment\": \"on it\"}");
        assertThat(noActor.status()).isEqualTo(401);
        assertThat(noActor.contentType()).startsWith("application/problem+json");
        assertThat(fields(http.post("/alerts/" + ownedAlert + "/acknowledgements", "caseworker.amal", "{\"comment\": \" \"}")))
                .containsExactly("comment");
        assertThat(fields(http.post("/alerts/" + ownedAlert + "/acknowledgements", "caseworker.amal",
                "{\"comment\": \"on it\", \"priority\": 1}"))).containsExactly("priority");
        assertThat(http.post("/alerts/NO-SUCH:assessment-due:x/acknowledgements", "caseworker.amal",
                "{\"comment\": \"on it\"}").status()).isEqualTo(404);
        assertThat(http.get("/alerts/" + ownedAlert).json().path("state").asText()).isEqualTo("OPEN");

        Http.Answer acknowledged = http.post("/alerts/" + ownedAlert + "/acknowledgements", "caseworker.amal",
                "{\"comment\": \"reminder sent to the CIVCAS cell\"}");
        assertThat(acknowledged.status()).isEqualTo(200);
        JsonNode ack = acknowledged.json();
        assertThat(ack.get("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(ack.at("/acknowledgement/by").asText()).isEqualTo("caseworker.amal");
        assertThat(ack.at("/acknowledgement/comment").asText()).isEqualTo("reminder sent to the CIVCAS cell");
        assertThat(ack.at("/history/1/transition").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(ack.at("/history/1/by").asText()).isEqualTo("caseworker.amal");
        assertThat(ack.at("/history/1/from").asText()).isEqualTo("OPEN");
        Http.Answer again = http.post("/alerts/" + ownedAlert + "/acknowledgements", "caseworker.omar", "{\"comment\": \"me too\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("already acknowledged by caseworker.amal");

        // Less than the delay: nothing escalates.
        CLOCK.advance(Duration.ofDays(6));
        alertService.evaluate();
        assertThat(http.get("/alerts/" + ignoredAlert).json().path("state").asText()).isEqualTo("OPEN");

        // Past the delay (7 days by default): the unacknowledged alert escalates, the acknowledged one does not.
        CLOCK.advance(Duration.ofDays(2));
        alertService.evaluate();
        JsonNode escalated = http.get("/alerts/" + ignoredAlert).json();
        assertThat(escalated.get("state").asText()).isEqualTo("ESCALATED");
        assertThat(escalated.get("escalatedAt").asText()).isNotBlank();
        assertThat(escalated.at("/history/1/reason").asText()).contains("not acknowledged within P7D");
        assertThat(http.get("/alerts/" + ownedAlert).json().path("state").asText()).isEqualTo("ACKNOWLEDGED");
        alertService.evaluate();
        assertThat(http.get("/alerts/" + ignoredAlert).json().get("history")).hasSize(2);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(WEBHOOK.forCase(ignored))
                .extracting(r -> r.header("X-Civharm-Event-Type")).containsExactly("AlertRaised", "AlertEscalated"));

        // An escalated alert can still be acknowledged, and resolves when the assessment arrives.
        assertThat(http.post("/alerts/" + ignoredAlert + "/acknowledgements", "caseworker.omar",
                "{\"comment\": \"escalated to the ombudsman\"}").json().path("state").asText()).isEqualTo("ACKNOWLEDGED");
        EVENTS.dismissed(ignored, CLOCK.instant());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/alerts/" + ignoredAlert).json().path("state").asText()).isEqualTo("RESOLVED"));
        assertThat(http.get("/alerts/" + ignoredAlert).json().get("history").findValuesAsText("transition"))
                .containsExactly("RAISED", "ESCALATED", "ACKNOWLEDGED", "RESOLVED");

        JsonNode list = http.get("/alerts?state=ACKNOWLEDGED&case=" + owned).json();
        assertThat(list.get("total").asLong()).isEqualTo(1);
        assertThat(http.get("/alerts?state=ESCALATED&case=" + owned).json().get("total").asLong()).isZero();
        assertThat(fields(http.get("/alerts?state=SNOOZED"))).containsExactly("state");
        assertThat(fields(http.get("/alerts?size=0"))).containsExactly("size");
    }

    @Test
    void closingTheCaseCancelsItsAlertsAndObligations() {
        String caseId = newCase("CLOSED");
        String alertId = caseId(caseId, "assessment-due", EVENTS.filed(caseId, CLOCK.instant().minus(Duration.ofDays(35))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/alerts/" + alertId).status()).isEqualTo(200));

        CaseEvents.Published closed = EVENTS.recordClosed(caseId, CLOCK.instant());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/alerts/" + alertId).json().path("state").asText()).isEqualTo("CANCELLED"));
        JsonNode alert = http.get("/alerts/" + alertId).json();
        assertThat(alert.get("closeReason").asText()).contains("closed");
        assertThat(alert.at("/closedBy/eventId").asText()).isEqualTo(closed.eventId());
        JsonNode obligations = http.get("/obligations?case=" + caseId).json();
        assertThat(obligations.get("items").findValuesAsText("state")).containsExactlyInAnyOrder("CANCELLED", "MET");
        assertThat(http.get("/obligations?case=" + caseId + "&policy=open-too-long").json().at("/items/0/state").asText())
                .isEqualTo("MET");
        assertThat(fields(http.get("/obligations?policy=whenever"))).containsExactly("policy");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(WEBHOOK.forCase(caseId))
                .extracting(r -> r.header("X-Civharm-Event-Type")).containsExactly("AlertRaised", "AlertCancelled"));
    }

    @Test
    void aBadPolicyIsRefusedNamingTheFieldAndAValidChangeReEvaluatesDueDates() {
        JsonNode before = http.get("/policies").json();
        assertThat(before.at("/policies/assessment-due/days").asInt()).isEqualTo(30);
        assertThat(before.at("/policies/open-too-long/monthlyCycles").asInt()).isEqualTo(3);
        assertThat(before.at("/policies/letter-reply-due/daysWhenNoDueDate").asInt()).isEqualTo(14);
        assertThat(before.at("/definitions/assessment-due/startedBy/0").asText()).isEqualTo("AllegationFiled");
        assertThat(before.get("policies")).hasSize(7);

        for (var bad : List.of(
                Map.entry("{\"assessment-due\": {\"days\": -5}}", "assessment-due.days"),
                Map.entry("{\"assessment-due\": {\"days\": 0}}", "assessment-due.days"),
                Map.entry("{\"assessment-due\": {\"days\": \"thirty\"}}", "assessment-due.days"),
                Map.entry("{\"assessment-due\": {\"days\": 1.5}}", "assessment-due.days"),
                Map.entry("{\"assessment-due\": {\"dayz\": 10}}", "assessment-due.dayz"),
                Map.entry("{\"assessment-due\": {\"monthlyCycles\": 2}}", "assessment-due.monthlyCycles"),
                Map.entry("{\"assessment-due\": {\"enabled\": \"maybe\"}}", "assessment-due.enabled"),
                Map.entry("{\"assesment-due\": {\"days\": 10}}", "assesment-due"),
                Map.entry("{\"open-too-long\": {\"monthlyCycles\": 500}}", "open-too-long.monthlyCycles"),
                Map.entry("{}", "body"))) {
            Http.Answer refused = http.put("/policies", "admin.lina", bad.getKey());
            assertThat(refused.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(fields(refused)).as(bad.getKey()).containsExactly(bad.getValue());
        }
        // One bad field refuses the whole change.
        Http.Answer mixed = http.put("/policies", "admin.lina",
                "{\"assessment-due\": {\"days\": 10}, \"amends-offer-due\": {\"days\": 99999}}");
        assertThat(fields(mixed)).containsExactly("amends-offer-due.days");
        assertThat(http.put("/policies", null, "{\"assessment-due\": {\"days\": 10}}").status()).isEqualTo(401);
        JsonNode unchanged = http.get("/policies").json();
        assertThat(unchanged.get("version").asLong()).isEqualTo(before.get("version").asLong());
        assertThat(unchanged.get("policies")).isEqualTo(before.get("policies"));

        String caseId = newCase("POLICY");
        Instant filedAt = CLOCK.instant().minus(Duration.ofDays(5)).truncatedTo(ChronoUnit.MILLIS);
        String id = caseId(caseId, "assessment-due", EVENTS.filed(caseId, filedAt));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/obligations/" + id).status()).isEqualTo(200));
        assertThat(Instant.parse(http.get("/obligations/" + id).json().get("dueAt").asText()))
                .isEqualTo(filedAt.plus(Duration.ofDays(30)));
        try {
            Http.Answer changed = http.put("/policies", "admin.lina", "{\"assessment-due\": {\"days\": 10}}");
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.json().get("version").asLong()).isEqualTo(before.get("version").asLong() + 1);
            assertThat(changed.json().get("updatedBy").asText()).isEqualTo("admin.lina");
            assertThat(changed.json().at("/reevaluation/cases").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(changed.json().at("/policies/assessment-due/enabled").asBoolean()).isTrue();
            JsonNode obligation = http.get("/obligations/" + id).json();
            assertThat(obligation.get("state").asText()).isEqualTo("PENDING");
            assertThat(Instant.parse(obligation.get("dueAt").asText())).isEqualTo(filedAt.plus(Duration.ofDays(10)));
            assertThat(http.get("/policies").json().at("/policies/assessment-due/days").asInt()).isEqualTo(10);

            // Shortened past the filing's age: overdue at once, and alerted.
            assertThat(http.put("/policies", "admin.lina", "{\"assessment-due\": {\"days\": 3}}").status()).isEqualTo(200);
            assertThat(http.get("/obligations/" + id).json().path("state").asText()).isEqualTo("OVERDUE");
            assertThat(http.get("/alerts/" + id).json().path("state").asText()).isEqualTo("OPEN");

            // Disabling a policy cancels its open obligations.
            assertThat(http.put("/policies", "admin.lina", "{\"open-too-long\": {\"enabled\": false}}").status()).isEqualTo(200);
            JsonNode openTooLong = http.get("/obligations?case=" + caseId + "&policy=open-too-long").json().at("/items/0");
            assertThat(openTooLong.get("state").asText()).isEqualTo("CANCELLED");
            assertThat(openTooLong.get("reason").asText()).isEqualTo("policy open-too-long was disabled");
        } finally {
            assertThat(http.put("/policies", "admin.lina",
                    "{\"assessment-due\": {\"days\": 30}, \"open-too-long\": {\"enabled\": true}}").status()).isEqualTo(200);
        }
        // A missed deadline stays missed: restoring 30 days does not undo the overdue obligation or its alert.
        assertThat(http.get("/obligations/" + id).json().path("state").asText()).isEqualTo("OVERDUE");
        assertThat(http.get("/alerts/" + id).json().path("state").asText()).isEqualTo("OPEN");
    }

    @Test
    void anUnreadableRecordHoldsItsCaseAndARetryStopsAtTheFirstRecordThatStillCannotBeRead() {
        String caseId = newCase("PARKED");
        EVENTS.raw(Topics.INCIDENT_EVENTS, caseId, "this is not an envelope {");
        EVENTS.raw(Topics.INCIDENT_EVENTS, caseId, "{\"eventId\": \"" + UUID.randomUUID() + "\", \"eventType\": "
                + "\"AllegationFiled\", \"caseId\": \"" + caseId + "\", \"event\": {\"type\": \"AllegationFiled\"}}");
        CaseEvents.Published filed = EVENTS.filed(caseId, CLOCK.instant());
        String id = caseId(caseId, "assessment-due", filed);
        // all three are on one partition of one topic: the filing is held behind the two bad records
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/admin/dead-letters/" + caseId).json().path("held").asLong()).isEqualTo(2));
        JsonNode mine = http.get("/admin/dead-letters/" + caseId).json().get("records");
        assertThat(mine).hasSize(3);
        assertThat(mine.get(0).get("reason").asText()).startsWith("not JSON");
        assertThat(mine.get(0).get("topic").asText()).isEqualTo(Topics.INCIDENT_EVENTS);
        assertThat(mine.get(1).get("heldBehind").asBoolean()).isTrue();
        assertThat(mine.get(2).get("status").asText()).isEqualTo("HELD");
        assertThat(http.get("/obligations/" + id).status()).isEqualTo(404);
        assertThat(http.get("/parked-records?size=200").text()).contains(caseId);

        // the first is discarded; the retry then stops at the second, which cannot be read either
        assertThat(http.post("/admin/dead-letters/" + caseId + "/records/" + mine.get(0).get("id").asText()
                + "/discards", "ops.lea", "{\"reason\": \"garbage from a test producer\"}").status()).isEqualTo(200);
        JsonNode retry = http.post("/admin/dead-letters/" + caseId + "/retries", "ops.lea", null).json();
        assertThat(retry.get("applied").asInt()).isZero();
        assertThat(retry.at("/stoppedAt/reason").asText()).contains("occurredAt");
        assertThat(retry.get("stillHeld").asInt()).isEqualTo(1);
        assertThat(http.get("/obligations/" + id).status()).isEqualTo(404);

        assertThat(http.post("/admin/dead-letters/" + caseId + "/records/" + mine.get(1).get("id").asText()
                + "/discards", "ops.lea", "{\"reason\": \"no occurredAt; the producer will republish\"}").status())
                .isEqualTo(200);
        retry = http.post("/admin/dead-letters/" + caseId + "/retries", "ops.lea", null).json();
        assertThat(retry.get("applied").asInt()).isEqualTo(1);
        assertThat(retry.get("released").asBoolean()).isTrue();
        assertThat(http.get("/obligations/" + id).status()).isEqualTo(200);
    }

    @Test
    void aStoreOutageDelaysARecordWithBackOffButNeverSkipsIt() {
        String caseId = newCase("OUTAGE");
        AtomicInteger attempts = new AtomicInteger();
        doAnswer(call -> {
            CaseFact fact = call.getArgument(0);
            if (fact.caseId().equals(caseId) && attempts.incrementAndGet() <= 2) {
                throw new MongoTimeoutException("simulated outage: no server reachable");
            }
            return call.callRealMethod();
        }).when(factStore).insertIfAbsent(any(), any(), any());

        String id = caseId(caseId, "assessment-due", EVENTS.filed(caseId, CLOCK.instant()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/obligations/" + id).status()).isEqualTo(200));
        assertThat(attempts.get()).as("two failed attempts, then the one that worked").isEqualTo(3);
        assertThat(http.get("/parked-records?size=200").text()).doesNotContain(caseId);
    }

    @Test
    void openApiHealthAndMetrics() {
        JsonNode api = http.get("/v3/api-docs").json();
        assertThat(api.get("paths").has("/alerts")).isTrue();
        assertThat(api.get("paths").has("/alerts/{id}/acknowledgements")).isTrue();
        assertThat(api.get("paths").has("/obligations")).isTrue();
        assertThat(api.at("/paths/~1policies").has("put")).isTrue();
        assertThat(api.get("paths").has("/deliveries/dead-letters")).isTrue();
        assertThat(api.get("paths").has("/deliveries/{id}/retries")).isTrue();

        JsonNode health = http.get("/actuator/health").json();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/kafka/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/mongo/status").asText()).isEqualTo("UP");

        String overdueCase = newCase("METRICS");
        String id = caseId(overdueCase, "assessment-due", EVENTS.filed(overdueCase, CLOCK.instant().minus(Duration.ofDays(31))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(http.get("/alerts/" + id).status()).isEqualTo(200));
        String metrics = http.get("/actuator/prometheus").text();
        assertThat(gauge(metrics, "civharm_alerts_open")).isGreaterThanOrEqualTo(1);
        assertThat(gauge(metrics, "civharm_obligations_overdue")).isGreaterThanOrEqualTo(1);
        assertThat(gauge(metrics, "civharm_obligation_oldest_overdue_age_seconds")).isGreaterThanOrEqualTo(86_000);
        assertThat(metrics).contains("civharm_deliveries_dead");
    }

    private static double gauge(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in\n" + metrics));
    }

    private static String newCase(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String caseId(String caseId, String policy, CaseEvents.Published started) {
        return caseId + ":" + policy + ":" + started.eventId();
    }

    private static List<String> fields(Http.Answer problem) {
        assertThat(problem.status()).as(problem.text()).isEqualTo(400);
        return problem.json().get("errors").findValuesAsText("field");
    }

    private static WebhookReceiver receiver() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
