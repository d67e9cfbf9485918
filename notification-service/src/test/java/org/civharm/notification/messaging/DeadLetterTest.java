package org.civharm.notification.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import org.civharm.contract.Topics;
import org.civharm.notification.NotificationServiceApplication;
import org.civharm.notification.support.CaseEvents;
import org.civharm.notification.support.Http;
import org.civharm.notification.support.TestClock;
import org.civharm.notification.support.TestClockConfig;
import org.civharm.notification.support.TestInfrastructure;
import org.civharm.notification.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sequenced dead letters on the in-process broker: a malformed record, an event type the contract does not define and
 * an envelope of a newer contract version each hold their case — later records of that case (both topics) are held
 * behind them — while other cases flow on. The holds are listed by case, a retry stops at a record that still cannot
 * be read and changes nothing, an operator's discard (who, when, why) lets the retry release the case, which then has
 * exactly the obligations and the one alert of a control case that never saw the poison. The holds live in Mongo:
 * they survive a restart, after which an upgraded service (newer contract supported) releases its case by a retry.
 */
class DeadLetterTest {

    private static final String DATABASE = "notification_dead_letter_test";
    private static final String GROUP = "notification-dead-letter-" + UUID.randomUUID();
    private static final TestClock CLOCK = TestClock.INSTANCE;
    private static final String OPERATOR = "ops.lea";

    private static WebhookReceiver webhook;
    private static CaseEvents events;

    @BeforeAll
    static void receivers() throws Exception {
        webhook = new WebhookReceiver();
        events = new CaseEvents();
    }

    @AfterAll
    static void close() {
        events.close();
        webhook.close();
    }

    @Test
    void poisonRecordsHoldOnlyTheirCaseWhichCatchesUpAfterAFixAcrossARestart() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String held = "DLQ-A-" + suffix;
        String control = "DLQ-C-" + suffix;
        String other = "DLQ-B-" + suffix;
        String unknownType = "DLQ-U-" + suffix;
        String newer = "DLQ-V-" + suffix;
        Instant filedAt = CLOCK.instant().minus(Duration.ofDays(40));
        LocalDate replyDue = CLOCK.instant().atZone(ZoneOffset.UTC).toLocalDate().plusDays(30);

        try (ConfigurableApplicationContext service = start(1)) {
            Http http = http(service);
            // The filing is 40 days old: its assessment is overdue and alerted at once, for both cases.
            CaseEvents.Published filedHeld = events.filed(held, filedAt);
            events.filed(control, filedAt);
            String alertId = held + ":assessment-due:" + filedHeld.eventId();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(http.get("/alerts/" + alertId).status()).isEqualTo(200));

            // Three kinds of poison, each for its own case.
            events.raw(Topics.INCIDENT_EVENTS, held, "{\"eventId\": \"" + UUID.randomUUID() + "\", \"eventType\": ");
            events.raw(Topics.INCIDENT_EVENTS, unknownType, unknownTypeEnvelope(unknownType));
            events.filedWithContractVersion(newer, filedAt, 2);
            // Records of one case on the two topics are ordered only per topic: once the poison is parked, every later
            // record of the case is held, whichever topic it comes from.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(holding(http))
                    .contains(held, unknownType, newer));

            for (String c : List.of(held, control)) {
                events.acknowledged(c, filedAt.plus(Duration.ofDays(2)));
                events.letterSent(c, "L-1", replyDue, filedAt.plus(Duration.ofDays(3)));
            }
            events.filed(unknownType, filedAt);
            events.acknowledged(newer, filedAt.plus(Duration.ofDays(2)));
            events.filed(other, CLOCK.instant());
            events.acknowledged(other, CLOCK.instant());

            // Other cases flow: the control case and an unrelated one get their obligations...
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(obligations(http, other)).contains("assessment-due MET");
                assertThat(obligations(http, control)).contains("assessment-due MET", "letter-reply-due PENDING",
                        "investigation-decision-due PENDING");
            });
            // ...the held cases do not.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(deadLetters(http, held).get("held").asLong()).isEqualTo(2);
                assertThat(deadLetters(http, unknownType).get("held").asLong()).isEqualTo(1);
                assertThat(deadLetters(http, newer).get("held").asLong()).isEqualTo(1);
            });
            assertThat(obligations(http, held)).containsExactly("assessment-due OVERDUE", "open-too-long PENDING");
            assertThat(obligations(http, newer)).isEmpty();
            assertThat(obligations(http, unknownType)).isEmpty();

            JsonNode list = http.get("/admin/dead-letters?holding=true&size=200").json();
            JsonNode summary = find(list.get("items"), "caseId", held);
            assertThat(summary.get("parked").asLong()).isEqualTo(1);
            assertThat(summary.get("held").asLong()).isEqualTo(2);
            assertThat(summary.get("holding").asBoolean()).isTrue();
            assertThat(find(list.get("items"), "caseId", other)).isNull();

            JsonNode records = deadLetters(http, held).get("records");
            assertThat(records).hasSize(3);
            String poisonId = records.get(0).get("id").asText();
            assertThat(records.get(0).get("status").asText()).isEqualTo("PARKED");
            assertThat(records.get(0).get("reason").asText()).startsWith("not JSON");
            assertThat(records.get(0).get("heldBehind").asBoolean()).isFalse();
            assertThat(records.get(1).get("status").asText()).isEqualTo("HELD");
            assertThat(records.get(1).get("heldBehind").asBoolean()).isTrue();
            assertThat(records.get(1).get("reason").asText()).contains(poisonId);
            assertThat(List.of(records.get(1).get("topic").asText(), records.get(2).get("topic").asText()))
                    .containsExactlyInAnyOrder(Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS);
            assertThat(deadLetters(http, unknownType).at("/records/0/reason").asText())
                    .contains("unknown event type AllegationTeleported");
            assertThat(deadLetters(http, newer).at("/records/0/reason").asText())
                    .contains("contract version 2 is newer than the supported 1");

            // A retry while the poison is there stops at it and changes nothing, however often it is tried.
            String before = deadLetters(http, held).toString() + obligations(http, held);
            for (int i = 0; i < 2; i++) {
                Http.Answer retry = http.post("/admin/dead-letters/" + held + "/retries", OPERATOR, null);
                assertThat(retry.status()).as(retry.text()).isEqualTo(200);
                assertThat(retry.json().get("applied").asInt()).isZero();
                assertThat(retry.json().at("/stoppedAt/id").asText()).isEqualTo(poisonId);
                assertThat(retry.json().get("stillHeld").asInt()).isEqualTo(2);
                assertThat(retry.json().get("released").asBoolean()).isFalse();
            }
            assertThat(deadLetters(http, held).toString() + obligations(http, held)).isEqualTo(before);

            // Discarding is an operator's decision: with a reason, of the poison record only, once.
            String discard = "/admin/dead-letters/" + held + "/records/" + poisonId + "/discards";
            Http.Answer noReason = http.post(discard, OPERATOR, "{}");
            assertThat(noReason.status()).isEqualTo(400);
            assertThat(noReason.contentType()).startsWith("application/problem+json");
            assertThat(noReason.json().get("errors").findValuesAsText("field")).containsExactly("reason");
            Http.Answer heldOne = http.post("/admin/dead-letters/" + held + "/records/" + records.get(1).get("id").asText()
                    + "/discards", OPERATOR, "{\"reason\": \"not this one\"}");
            assertThat(heldOne.status()).isEqualTo(409);
            assertThat(heldOne.contentType()).startsWith("application/problem+json");
            assertThat(http.post("/admin/dead-letters/" + held + "/records/civharm.incident.events.v1:0:999999/discards",
                    OPERATOR, "{\"reason\": \"x\"}").status()).isEqualTo(404);
            Http.Answer discarded = http.post(discard, OPERATOR, "{\"reason\": \"truncated by a broken producer; "
                    + "the event was republished whole\"}");
            assertThat(discarded.status()).as(discarded.text()).isEqualTo(200);
            assertThat(discarded.json().get("status").asText()).isEqualTo("DISCARDED");
            assertThat(discarded.json().get("closedBy").asText()).isEqualTo(OPERATOR);
            assertThat(discarded.json().get("closedAt").asText()).isNotBlank();
            assertThat(discarded.json().get("discardReason").asText()).startsWith("truncated");
            assertThat(http.post(discard, OPERATOR, "{\"reason\": \"again\"}").status()).isEqualTo(409);

            // The retry now applies the held records in order and releases the case; a second one changes nothing.
            JsonNode released = http.post("/admin/dead-letters/" + held + "/retries", OPERATOR, null).json();
            assertThat(released.get("applied").asInt()).isEqualTo(2);
            assertThat(released.get("released").asBoolean()).isTrue();
            List<String> caughtUp = obligations(http, held);
            assertThat(caughtUp).isEqualTo(obligations(http, control))
                    .contains("assessment-due MET", "letter-reply-due PENDING");
            JsonNode again = http.post("/admin/dead-letters/" + held + "/retries", OPERATOR, null).json();
            assertThat(again.get("applied").asInt()).isZero();
            assertThat(again.get("released").asBoolean()).isTrue();
            assertThat(obligations(http, held)).isEqualTo(caughtUp);
            assertThat(deadLetters(http, held).get("applied").asLong()).isEqualTo(2);

            // One alert, raised once and resolved once: no duplicate on any channel.
            JsonNode alerts = http.get("/alerts?case=" + held).json();
            assertThat(alerts.get("total").asLong()).isEqualTo(1);
            assertThat(alerts.at("/items/0/state").asText()).isEqualTo("RESOLVED");
            JsonNode deliveries = http.get("/deliveries?alertId=" + Http.encode(alertId) + "&size=200").json();
            List<String> sent = new ArrayList<>();
            deliveries.get("items").forEach(d -> sent.add(d.get("transition").asText() + " " + d.get("channel").asText()));
            assertThat(sent).doesNotHaveDuplicates().contains("RAISED webhook", "RESOLVED webhook");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(webhook.forCase(held))
                    .extracting(r -> r.header("X-Civharm-Event-Type")).containsExactly("AlertRaised", "AlertResolved"));

            // A later record of the released case flows normally.
            events.letterAnswered(held, "L-1", CLOCK.instant());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(obligations(http, held)).contains("letter-reply-due MET"));
            assertThat(deadLetters(http, held).get("records")).hasSize(3);
        }

        // Restarted as an upgraded service that supports contract version 2: the holds were kept in Mongo.
        try (ConfigurableApplicationContext upgraded = start(2)) {
            Http http = http(upgraded);
            assertThat(holding(http)).contains(unknownType, newer).doesNotContain(held);
            JsonNode retry = http.post("/admin/dead-letters/" + newer + "/retries", OPERATOR, null).json();
            assertThat(retry.get("applied").asInt()).isEqualTo(2);
            assertThat(retry.get("released").asBoolean()).isTrue();
            assertThat(obligations(http, newer)).contains("assessment-due MET", "investigation-decision-due PENDING");

            // The unknown type is still unknown to this build: still parked until someone decides.
            assertThat(http.post("/admin/dead-letters/" + unknownType + "/retries", OPERATOR, null).json()
                    .get("released").asBoolean()).isFalse();
            String poison = deadLetters(http, unknownType).at("/records/0/id").asText();
            assertThat(http.post("/admin/dead-letters/" + unknownType + "/records/" + poison + "/discards", OPERATOR,
                    "{\"reason\": \"no such event exists; a producer's test\"}").status()).isEqualTo(200);
            assertThat(http.post("/admin/dead-letters/" + unknownType + "/retries", OPERATOR, null).json()
                    .get("applied").asInt()).isEqualTo(1);
            assertThat(obligations(http, unknownType)).contains("assessment-due OVERDUE");
            assertThat(holding(http)).doesNotContain(unknownType, newer);
        }
    }

    private static String unknownTypeEnvelope(String caseId) {
        return "{\"eventId\": \"" + UUID.randomUUID() + "\", \"eventType\": \"AllegationTeleported\", "
                + "\"contractVersion\": 1, \"caseId\": \"" + caseId + "\", \"sequence\": 0, \"producedBy\": "
                + "\"incident-service\", \"recordedAt\": \"" + Instant.now() + "\", \"event\": {\"type\": "
                + "\"AllegationTeleported\", \"caseId\": \"" + caseId + "\", \"occurredAt\": \"" + Instant.now() + "\"}}";
    }

    /** "policy STATE" of each of the case's obligations, sorted: comparable between cases. */
    private static List<String> obligations(Http http, String caseId) {
        Http.Answer answer = http.get("/obligations?case=" + caseId + "&size=200");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        TreeSet<String> out = new TreeSet<>();
        List<String> all = new ArrayList<>();
        answer.json().get("items").forEach(o -> all.add(o.get("policy").asText() + " " + o.get("state").asText()));
        out.addAll(all);
        assertThat(all).hasSameSizeAs(out);
        return new ArrayList<>(out);
    }

    private static JsonNode deadLetters(Http http, String caseId) {
        Http.Answer answer = http.get("/admin/dead-letters/" + caseId);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> holding(Http http) {
        List<String> out = new ArrayList<>();
        http.get("/admin/dead-letters?holding=true&size=200").json().get("items")
                .forEach(s -> out.add(s.get("caseId").asText()));
        return out;
    }

    private static JsonNode find(JsonNode items, String field, String value) {
        for (JsonNode item : items) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        return null;
    }

    private static ConfigurableApplicationContext start(int supportedContractVersion) {
        List<String> args = new ArrayList<>(List.of("server.port=0"));
        args.addAll(TestInfrastructure.properties(DATABASE, GROUP));
        args.addAll(List.of(
                "civharm.kafka.supported-contract-version=" + supportedContractVersion,
                "civharm.channels.webhook.url=" + webhook.url(),
                "civharm.channels.webhook.secret=" + TestInfrastructure.WEBHOOK_SECRET));
        return new SpringApplicationBuilder(NotificationServiceApplication.class, TestClockConfig.class)
                .run(args.stream().map(a -> "--" + a).toArray(String[]::new));
    }

    private static Http http(ConfigurableApplicationContext context) {
        return new Http("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }
}
