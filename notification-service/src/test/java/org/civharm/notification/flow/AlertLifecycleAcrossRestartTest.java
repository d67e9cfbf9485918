package org.civharm.notification.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.notification.NotificationServiceApplication;
import org.civharm.notification.channels.Signatures;
import org.civharm.notification.channels.WebhookChannel;
import org.civharm.notification.service.AlertService;
import org.civharm.notification.support.CaseEvents;
import org.civharm.notification.support.Http;
import org.civharm.notification.support.KafkaTestConsumer;
import org.civharm.notification.support.TestClock;
import org.civharm.notification.support.TestClockConfig;
import org.civharm.notification.support.TestInfrastructure;
import org.civharm.notification.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole promise, end to end, on a real KRaft broker, the Mongo-wire server, an in-process SMTP server (GreenMail)
 * and a local webhook receiver: an allegation nobody assesses raises exactly one alert, delivered once on every
 * channel with a valid signature; a restart that replays both topics from offset 0 changes nothing; the late
 * assessment resolves the alert by itself, and that is delivered too.
 */
class AlertLifecycleAcrossRestartTest {

    private static final String DATABASE = "notification_lifecycle_test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestClock CLOCK = TestClock.INSTANCE;

    private static WebhookReceiver webhook;
    private static GreenMail mail;
    private static CaseEvents events;

    @BeforeAll
    static void receivers() throws Exception {
        webhook = new WebhookReceiver();
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        events = new CaseEvents();
    }

    @AfterAll
    static void stopReceivers() {
        events.close();
        mail.stop();
        webhook.close();
    }

    @Test
    void oneAlertPerOverdueObligationAcrossARestartAndAReplayThenResolvedByTheLateAssessment() throws Exception {
        String caseId = "LIFECYCLE-" + UUID.randomUUID().toString().substring(0, 8);
        Instant filedAt = CLOCK.instant().minus(Duration.ofDays(1));
        String alertId;

        try (ConfigurableApplicationContext first = start("lifecycle-first-" + UUID.randomUUID())) {
            Http http = http(first);
            CaseEvents.Published filed = events.filed(caseId, filedAt);
            alertId = caseId + ":assessment-due:" + filed.eventId();

            // The filing starts the clock: the obligation is pending, due 30 days after the filing happened.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(http.get("/obligations/" + alertId).status()).isEqualTo(200));
            JsonNode obligation = http.get("/obligations/" + alertId).json();
            assertThat(obligation.get("state").asText()).isEqualTo("PENDING");
            assertThat(obligation.get("policy").asText()).isEqualTo("assessment-due");
            assertThat(obligation.at("/startedBy/eventId").asText()).isEqualTo(filed.eventId());
            assertThat(Instant.parse(obligation.get("dueAt").asText()))
                    .isEqualTo(filedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plus(Duration.ofDays(30)));
            assertThat(http.get("/alerts?case=" + caseId).json().get("total").asLong()).isZero();
            // open-too-long was started too, and is not due for months
            assertThat(http.get("/obligations?case=" + caseId + "&policy=open-too-long").json().at("/items/0/state").asText())
                    .isEqualTo("PENDING");

            // Thirty days pass without an assessment.
            CLOCK.advance(Duration.ofDays(30));
            AlertService.Evaluation evaluation = first.getBean(AlertService.class).evaluate();
            assertThat(evaluation.raised()).isGreaterThanOrEqualTo(1);
            first.getBean(AlertService.class).evaluate(); // a second run raises nothing more

            JsonNode alerts = http.get("/alerts?case=" + caseId).json();
            assertThat(alerts.get("total").asLong()).isEqualTo(1);
            JsonNode alert = alerts.get("items").get(0);
            assertThat(alert.get("id").asText()).isEqualTo(alertId);
            assertThat(alert.get("state").asText()).isEqualTo("OPEN");
            assertThat(alert.get("history")).hasSize(1);
            assertThat(http.get("/obligations/" + alertId).json().path("state").asText()).isEqualTo("OVERDUE");

            // Delivered once on every channel.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(webhook.forCase(caseId)).hasSize(1);
                assertThat(mailsFor(caseId)).hasSize(1);
            });
            WebhookReceiver.Request post = webhook.forCase(caseId).get(0);
            assertThat(post.accepted()).isTrue();
            assertThat(Signatures.verify(TestInfrastructure.WEBHOOK_SECRET, post.rawBody(), post.header(Signatures.HEADER)))
                    .as("HMAC-SHA256 of the body with the shared secret").isTrue();
            assertThat(post.header(Signatures.HEADER)).startsWith("sha256=").hasSize("sha256=".length() + 64);
            assertThat(Signatures.verify("another-secret", post.rawBody(), post.header(Signatures.HEADER))).isFalse();
            assertThat(post.header(WebhookChannel.DELIVERY_ID)).isEqualTo(alertId + ":RAISED:webhook");
            assertThat(post.header(WebhookChannel.EVENT_TYPE)).isEqualTo("AlertRaised");
            assertThat(post.header(WebhookChannel.TIMESTAMP)).matches("\\d+");
            JsonNode body = JSON.readTree(post.body());
            assertThat(body.get("eventType").asText()).isEqualTo("AlertRaised");
            assertThat(body.at("/event/type").asText()).isEqualTo("AlertRaised");
            assertThat(body.at("/event/alertId").asText()).isEqualTo(alertId);
            assertThat(body.at("/event/startedByEventId").asText()).isEqualTo(filed.eventId());
            assertThat(body.get("producedBy").asText()).isEqualTo("notification-service");
            assertThat(post.header(WebhookChannel.EVENT_ID)).isEqualTo(body.get("eventId").asText());

            MimeMessage message = mailsFor(caseId).get(0);
            assertThat(message.getSubject()).contains("OVERDUE").contains(caseId).contains("assessment-due");
            assertThat(message.getAllRecipients()).extracting(Object::toString).containsExactly("caseworkers@civharm.test");
            assertThat(message.getHeader(WebhookChannel.DELIVERY_ID)[0]).isEqualTo(alertId + ":RAISED:email");

            List<ConsumerRecord<String, String>> raised = alertRecords(caseId, "AlertRaised", 1);
            assertThat(raised).hasSize(1);
            assertThat(raised.get(0).key()).isEqualTo(caseId);
            assertThat(header(raised.get(0), EventHeaders.EVENT_ID)).isEqualTo(body.get("eventId").asText());
            assertThat(JSON.readTree(raised.get(0).value())).isEqualTo(body);

            JsonNode deliveries = http.get("/deliveries?alertId=" + Http.encode(alertId)).json();
            assertThat(deliveries.get("total").asLong()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(http.get("/deliveries?alertId=" + Http.encode(alertId)).json().findValuesAsText("state"))
                            .containsOnly("SENT"));
        }

        // Restart on the same database, as a new consumer group: both topics are replayed from offset 0.
        String replayGroup = "lifecycle-replay-" + UUID.randomUUID();
        try (ConfigurableApplicationContext second = start(replayGroup)) {
            Http http = http(second);
            awaitReplayed(replayGroup);
            second.getBean(AlertService.class).evaluate();
            Thread.sleep(1500); // give the delivery worker every chance to send something it should not

            assertThat(http.get("/alerts?case=" + caseId).json().get("total").asLong()).isEqualTo(1);
            assertThat(http.get("/alerts/" + alertId).json().path("state").asText()).isEqualTo("OPEN");
            assertThat(http.get("/deliveries?alertId=" + Http.encode(alertId)).json().get("total").asLong()).isEqualTo(3);
            assertThat(webhook.forCase(caseId)).hasSize(1);
            assertThat(mailsFor(caseId)).hasSize(1);
            assertThat(alertRecords(caseId, "AlertRaised", 1)).hasSize(1);

            // The assessment finally arrives: the alert resolves by itself.
            Instant assessedAt = CLOCK.instant();
            CaseEvents.Published acknowledged = events.acknowledged(caseId, assessedAt);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(http.get("/alerts/" + alertId).json().path("state").asText()).isEqualTo("RESOLVED"));
            JsonNode resolved = http.get("/alerts/" + alertId).json();
            assertThat(resolved.at("/closedBy/eventId").asText()).isEqualTo(acknowledged.eventId());
            assertThat(resolved.get("history").findValuesAsText("transition")).containsExactly("RAISED", "RESOLVED");
            assertThat(http.get("/obligations/" + alertId).json().path("state").asText()).isEqualTo("MET");
            assertThat(http.get("/obligations/" + alertId).json().at("/closedBy/eventType").asText())
                    .isEqualTo("AllegationAcknowledged");
            // the acknowledgement starts the next deadlines
            assertThat(http.get("/obligations?case=" + caseId + "&policy=investigation-decision-due&state=PENDING")
                    .json().get("total").asLong()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(webhook.forCase(caseId)).hasSize(2);
                assertThat(mailsFor(caseId)).hasSize(2);
            });
            WebhookReceiver.Request resolution = webhook.forCase(caseId).get(1);
            assertThat(resolution.header(WebhookChannel.EVENT_TYPE)).isEqualTo("AlertResolved");
            assertThat(Signatures.verify(TestInfrastructure.WEBHOOK_SECRET, resolution.rawBody(),
                    resolution.header(Signatures.HEADER))).isTrue();
            assertThat(JSON.readTree(resolution.body()).at("/event/resolvedByEventId").asText())
                    .isEqualTo(acknowledged.eventId());
            assertThat(alertRecords(caseId, "AlertResolved", 1)).hasSize(1);
            assertThat(alertRecords(caseId, "AlertRaised", 1)).hasSize(1);
            assertThat(webhook.forCase(caseId).stream().map(r -> r.header(WebhookChannel.DELIVERY_ID)).distinct())
                    .hasSize(2);
        }
    }

    private static ConfigurableApplicationContext start(String groupId) {
        List<String> args = new ArrayList<>(List.of("server.port=0"));
        args.addAll(TestInfrastructure.properties(DATABASE, groupId));
        args.addAll(List.of(
                "civharm.channels.webhook.url=" + webhook.url(),
                "civharm.channels.webhook.secret=" + TestInfrastructure.WEBHOOK_SECRET,
                "civharm.channels.email.host=127.0.0.1",
                "civharm.channels.email.port=" + mail.getSmtp().getPort(),
                "civharm.channels.email.recipients=caseworkers@civharm.test"));
        return new SpringApplicationBuilder(NotificationServiceApplication.class, TestClockConfig.class)
                .run(args.stream().map(a -> "--" + a).toArray(String[]::new));
    }

    private static Http http(ConfigurableApplicationContext context) {
        return new Http("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    private static List<MimeMessage> mailsFor(String caseId) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(caseId);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static List<ConsumerRecord<String, String>> alertRecords(String caseId, String type, int expected) {
        return KafkaTestConsumer.read(Topics.ALERT_EVENTS,
                r -> caseId.equals(r.key()) && type.equals(header(r, EventHeaders.EVENT_TYPE)),
                expected, Duration.ofSeconds(20), Duration.ofMillis(500));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Waits until the consumer group has committed the end offset of every partition of both consumed topics. */
    private static void awaitReplayed(String groupId) throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrap()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : List.of(Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS)) {
                for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
                ends.forEach((tp, end) -> {
                    long at = committed.get(tp) == null ? 0 : committed.get(tp).offset();
                    assertThat(at).as("committed offset of %s", tp).isGreaterThanOrEqualTo(end);
                });
            });
        }
    }
}
