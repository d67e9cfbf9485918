package org.civharm.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.civharm.infra.demo.DemoData;
import org.civharm.infra.security.LocalKeys;
import org.civharm.infra.security.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local system as the README starts it: a real standalone KRaft broker, the Mongo-wire server with its file
 * store and the three service jars, each its own process on free loopback ports; then the demo data through the
 * public APIs, twice (the second load records nothing), and the Raqqa story read back as a user would.
 * Needs the service jars, which {@code mvn verify} builds before this module.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalSystemTest {

    private Path data;
    private LocalSystem system;
    private String token;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("civharm-local-system-test");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        for (String service : LocalSystem.SERVICES) {
            Path jar = repo.resolve(service).resolve("target").resolve(service + ".jar");
            assertThat(jar).as("build the services first (mvn -B verify builds them before infra)").exists();
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : LocalSystem.SERVICES) {
            ports.put(service, Ports.freePort());
        }
        system = new LocalSystem(repo, data, Ports.freePort(), Ports.freePort(), Ports.freePort(), ports, List.of());
        system.checkPreconditions();
        system.startAll();
        token = Tokens.mint(LocalKeys.ensure(data).privateKey(), "test.auditor",
                List.of("CASEWORKER", "AUDITOR", "ACCOUNTABILITY_OFFICER", "ADMIN"), Duration.ofHours(1));
    }

    @AfterAll
    void stop() throws Exception {
        if (system != null) {
            system.stopAll();
        }
        if (data != null) {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void demoDataLoadsOnceAndTheRaqqaStoryCanBeRead() throws Exception {
        URI incident = system.serviceBase("incident-service");
        URI accountability = system.serviceBase("accountability-service");
        var key = LocalKeys.ensure(data).privateKey();
        int first = DemoData.load(incident, accountability, key);
        assertThat(first).isGreaterThan(30);
        assertThat(DemoData.load(incident, accountability, key)).as("a second load records nothing").isZero();

        await().atMost(Duration.ofSeconds(60)).until(() ->
                get(incident, "/allegations/RAQQA-2017-SHELTER").path("status").asText().equals("CREDIBLE"));
        JsonNode raqqa = get(incident, "/allegations?operation=Raqqa%202017&size=50");
        assertThat(raqqa.get("total").asInt()).isEqualTo(5);
        int conceded = 0;
        for (JsonNode c : raqqa.get("items")) {
            assertThat(c.get("status").asText()).isEqualTo("CREDIBLE");
            assertThat(c.get("dismissalReversed").asBoolean()).isTrue();
            conceded += c.at("/latestAssessment/concededKilled/min").asInt();
        }
        assertThat(conceded).isEqualTo(77);
        assertThat(get(incident, "/allegations?status=UNDER_ASSESSMENT").get("total").asInt()).isEqualTo(2);
        JsonNode replay = get(incident, "/allegations/RAQQA-2017-06-28/replay");
        assertThat(replay.get(1).at("/stateAfter/status").asText()).isEqualTo("NON_CREDIBLE");
        assertThat(replay.get(replay.size() - 1).at("/stateAfter/status").asText()).isEqualTo("CREDIBLE");
        assertThat(get(incident, "/allegations/RAQQA-2017-06-28/integrity").get("status").asText()).isEqualTo("VERIFIED");

        await().atMost(Duration.ofSeconds(60)).until(() ->
                get(accountability, "/cases/RAQQA-2017-10-12").at("/record/stage").asText().equals("AMENDS_OFFERED"));
        assertThat(get(accountability, "/cases/RAQQA-2017-06-28").at("/record/stage").asText())
                .isEqualTo("AWAITING_INVESTIGATION");
        assertThat(get(accountability, "/cases/RAQQA-2017-07-18").at("/record/stage").asText()).isEqualTo("CONCLUDED");
        // The whole case across both services as it stood in the world before and after the mid-2018 admission.
        assertThat(get(accountability, "/cases/RAQQA-2017-06-28/file?timeline=OCCURRED&asOf=2018-03-01")
                .at("/state/incident/status").asText()).isEqualTo("NON_CREDIBLE");
        assertThat(get(accountability, "/cases/RAQQA-2017-06-28/file?timeline=OCCURRED&asOf=2018-08-01")
                .at("/state/incident/status").asText()).isEqualTo("CREDIBLE");
        JsonNode file = get(accountability, "/cases/RAQQA-2017-10-12/file");
        assertThat(file.toString()).contains("AllegationDismissed").contains("AllegationAcknowledged").contains("LetterSent");
        assertThat(Files.exists(data.resolve("mongo"))).isTrue();

        // Right after start-up the overdue responses are open alerts: reports never assessed, the unanswered letter.
        URI notification = system.serviceBase("notification-service");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode open = get(notification, "/alerts?state=OPEN&size=100");
            List<String> alerts = new java.util.ArrayList<>();
            open.get("items").forEach(a -> alerts.add(a.get("caseId").asText() + " " + a.get("policy").asText()));
            assertThat(alerts).contains("PAKISTAN-2012-10-24 assessment-due", "PAKISTAN-2012-07-06 assessment-due",
                    "RAQQA-2017-10-12 letter-reply-due", "RAQQA-2017-10-12 amends-payment-due",
                    "RAQQA-2017-06-28 investigation-decision-due");
            assertThat(alerts).doesNotContain("RAQQA-2017-06-28 assessment-due");
        });
    }

    private JsonNode get(URI base, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? json.readTree(response.body()) : json.createObjectNode();
    }
}
