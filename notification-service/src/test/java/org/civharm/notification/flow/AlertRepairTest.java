package org.civharm.notification.flow;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.civharm.notification.NotificationServiceApplication;
import org.civharm.notification.service.AlertService;
import org.civharm.notification.support.CaseEvents;
import org.civharm.notification.support.Http;
import org.civharm.notification.support.TestClock;
import org.civharm.notification.support.TestClockConfig;
import org.civharm.notification.support.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The evaluation's repair pass: an alert left active although its obligation was closed (a crash between the two
 * writes) is settled by the next evaluation, found among the active alerts read by id, and only that one is
 * touched.
 */
class AlertRepairTest {

    private static final String DATABASE = "notification_repair_test";
    private static final TestClock CLOCK = TestClock.INSTANCE;

    @Test
    void anActiveAlertWhoseObligationWasClosedIsResolvedByTheNextEvaluation() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("server.port=0"));
        args.addAll(TestInfrastructure.properties(DATABASE, "repair-" + run));
        try (CaseEvents events = new CaseEvents();
             MongoClient mongo = MongoClients.create(TestInfrastructure.mongoUri());
             ConfigurableApplicationContext context = new SpringApplicationBuilder(NotificationServiceApplication.class,
                     TestClockConfig.class).run(args.stream().map(a -> "--" + a).toArray(String[]::new))) {
            Http http = new Http("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
            AlertService alerts = context.getBean(AlertService.class);
            // a few active alerts, all overdue at once (filed 60 days ago). Few: the topics are shared with the other
            // tests, whose services (webhook and e-mail channels on) would otherwise have hundreds of alerts to deliver
            int cases = 12;
            List<String> alertIds = new ArrayList<>();
            Instant filedAt = CLOCK.instant().minus(Duration.ofDays(60));
            for (int i = 0; i < cases; i++) {
                String caseId = "REPAIR-" + run + "-" + i;
                alertIds.add(caseId + ":assessment-due:" + events.filed(caseId, filedAt).eventId());
            }
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                    assertThat(http.get("/alerts?state=OPEN&size=1&case=" + "REPAIR-" + run + "-" + (cases - 1))
                            .json().get("total").asLong()).isEqualTo(1));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(alerts.evaluate().raised()).isZero());

            // The crash: the last case's obligation was closed (MET) and written, its alert was not.
            String crashed = alertIds.get(cases - 1);
            MongoCollection<Document> obligations = mongo.getDatabase(DATABASE).getCollection("obligations");
            assertThat(obligations.updateOne(Filters.eq("_id", crashed), Updates.combine(Updates.set("state", "MET"),
                    Updates.set("closedAt", java.util.Date.from(CLOCK.instant())), Updates.inc("version", 1)))
                    .getModifiedCount()).isEqualTo(1);
            assertThat(http.get("/alerts/" + crashed).json().path("state").asText()).isEqualTo("OPEN");

            AlertService.Evaluation repaired = alerts.evaluate();
            assertThat(repaired.settled()).as(repaired.toString()).isEqualTo(1);
            assertThat(http.get("/alerts/" + crashed).json().path("state").asText()).isEqualTo("RESOLVED");
            assertThat(http.get("/alerts/" + alertIds.get(0)).json().path("state").asText()).isEqualTo("OPEN");
            assertThat(alerts.evaluate().settled()).as("a second pass finds nothing left").isZero();

            // The other crash: an alert's deliveries are queued before the alert itself, and the obligation says
            // "overdue, alert raised" only after both. Here the process died after the deliveries: no alert, the
            // obligation still pending past its due date.
            String halfRaised = alertIds.get(1);
            MongoCollection<Document> deliveries = mongo.getDatabase(DATABASE).getCollection("deliveries");
            long queued = deliveries.countDocuments(Filters.eq("alertId", halfRaised));
            assertThat(queued).as("the RAISED delivery of each channel").isPositive();
            assertThat(mongo.getDatabase(DATABASE).getCollection("alerts").deleteOne(Filters.eq("_id", halfRaised))
                    .getDeletedCount()).isEqualTo(1);
            assertThat(obligations.updateOne(Filters.eq("_id", halfRaised), Updates.combine(
                    Updates.set("state", "PENDING"), Updates.set("overdueAt", null), Updates.set("alertRaised", false),
                    Updates.inc("version", 1))).getModifiedCount()).isEqualTo(1);

            AlertService.Evaluation raisedAgain = alerts.evaluate();
            assertThat(raisedAgain.raised()).as(raisedAgain.toString()).isEqualTo(1);
            assertThat(raisedAgain.queued()).as("its deliveries were queued already").isZero();
            assertThat(http.get("/alerts/" + halfRaised).json().path("state").asText()).isEqualTo("OPEN");
            Document obligation = obligations.find(Filters.eq("_id", halfRaised)).first();
            assertThat(obligation.getString("state")).isEqualTo("OVERDUE");
            assertThat(obligation.getBoolean("alertRaised")).isTrue();
            assertThat(deliveries.countDocuments(Filters.eq("alertId", halfRaised))).isEqualTo(queued);
            assertThat(alerts.evaluate().raised()).as("raised once").isZero();
        }
    }
}
