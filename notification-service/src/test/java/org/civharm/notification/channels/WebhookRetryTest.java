package org.civharm.notification.channels;

import com.fasterxml.jackson.databind.JsonNode;
import org.civharm.notification.support.CaseEvents;
import org.civharm.notification.support.Http;
import org.civharm.notification.support.TestClock;
import org.civharm.notification.support.TestClockConfig;
import org.civharm.notification.support.TestInfrastructure;
import org.civharm.notification.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook channel against a receiver that fails: retried with back-off until accepted (exactly once per delivery
 * id), or dead-lettered after the last attempt, listed, and sent again on request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfig.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WebhookRetryTest {

    private static final WebhookReceiver WEBHOOK = receiver();
    private static final CaseEvents EVENTS = new CaseEvents();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // max-attempts 5, back-off 100 ms doubling (TestInfrastructure); e-mail off, Kafka topic on
        TestInfrastructure.register(registry, "notification_webhook_test", Map.of(
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
    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void aReceiverThatFailsThreeTimesThenSucceedsGetsTheAlertExactlyOnce() {
        String caseId = "FLAKY-" + UUID.randomUUID().toString().substring(0, 8);
        WEBHOOK.failNext(caseId, 3);
        String alertId = caseId + ":assessment-due:"
                + EVENTS.filed(caseId, TestClock.INSTANCE.instant().minus(Duration.ofDays(31))).eventId();
        String deliveryId = alertId + ":RAISED:webhook";

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(WEBHOOK.forCase(caseId).stream().filter(WebhookReceiver.Request::accepted)).hasSize(1));
        List<WebhookReceiver.Request> posts = WEBHOOK.forCase(caseId);
        assertThat(posts).extracting(WebhookReceiver.Request::status).containsExactly(500, 500, 500, 200);
        assertThat(posts).extracting(r -> r.header(WebhookChannel.DELIVERY_ID)).containsOnly(deliveryId);
        assertThat(posts).extracting(r -> r.header(WebhookChannel.ATTEMPT)).containsExactly("1", "2", "3", "4");
        assertThat(posts).extracting(WebhookReceiver.Request::body).containsOnly(posts.get(0).body());
        assertThat(posts).allSatisfy(p -> assertThat(Signatures.verify(TestInfrastructure.WEBHOOK_SECRET, p.rawBody(),
                p.header(Signatures.HEADER))).isTrue());

        JsonNode delivery = http.get("/deliveries/" + deliveryId).json();
        assertThat(delivery.get("state").asText()).isEqualTo("SENT");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.get("lastError").asText()).contains("HTTP 500");
        assertThat(delivery.at("/payload/event/alertId").asText()).isEqualTo(alertId);

        // Nothing more arrives later.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(WEBHOOK.forCase(caseId)).hasSize(4));
        assertThat(WEBHOOK.forCase(caseId).stream().filter(WebhookReceiver.Request::accepted)
                .map(r -> r.header(WebhookChannel.DELIVERY_ID)).distinct()).containsExactly(deliveryId);
    }

    @Test
    void aDeliveryThatFailsEveryAttemptIsDeadLetteredAndCanBeRetried() {
        String caseId = "DOWN-" + UUID.randomUUID().toString().substring(0, 8);
        WEBHOOK.failAlways(caseId);
        String alertId = caseId + ":assessment-due:"
                + EVENTS.filed(caseId, TestClock.INSTANCE.instant().minus(Duration.ofDays(31))).eventId();
        String deliveryId = alertId + ":RAISED:webhook";

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/deliveries/" + deliveryId).json().path("state").asText()).isEqualTo("DEAD"));
        assertThat(WEBHOOK.forCase(caseId)).hasSize(5).noneMatch(WebhookReceiver.Request::accepted);
        JsonNode dead = http.get("/deliveries/dead-letters").json();
        assertThat(dead.get("items").findValuesAsText("id")).contains(deliveryId);
        assertThat(http.get("/deliveries/" + deliveryId).json().get("attempts").asInt()).isEqualTo(5);
        // the Kafka delivery of the same transition is unaffected
        assertThat(http.get("/deliveries/" + alertId + ":RAISED:kafka").json().path("state").asText()).isEqualTo("SENT");

        // Refusals: a delivery that is not dead, an unknown one, no actor.
        assertThat(http.post("/deliveries/" + alertId + ":RAISED:kafka/retries", "ops.sam", null).status()).isEqualTo(409);
        assertThat(http.post("/deliveries/NO-SUCH:x:RAISED:webhook/retries", "ops.sam", null).status()).isEqualTo(404);
        assertThat(http.post("/deliveries/" + deliveryId + "/retries", null, null).status()).isEqualTo(401); // no token

        WEBHOOK.heal(caseId);
        Http.Answer retried = http.post("/deliveries/" + deliveryId + "/retries", "ops.sam", null);
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.json().path("state").asText()).isEqualTo("PENDING");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(http.get("/deliveries/" + deliveryId).json().path("state").asText()).isEqualTo("SENT"));
        assertThat(WEBHOOK.forCase(caseId).stream().filter(WebhookReceiver.Request::accepted)).hasSize(1);
        assertThat(http.get("/deliveries/dead-letters").json().get("items").findValuesAsText("id")).doesNotContain(deliveryId);
    }

    private static WebhookReceiver receiver() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
