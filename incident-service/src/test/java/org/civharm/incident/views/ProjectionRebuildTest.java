package org.civharm.incident.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.support.AllegationMother;
import org.civharm.incident.config.Roles;
import org.civharm.incident.support.TestInfrastructure;
import org.civharm.incident.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The summary view rebuilt from the event store into a new collection while readers keep getting answers; after the
 * switch the new view equals the one it replaced, and new events land in the new one. The bulk phase reads the store
 * in pages of a few positions here, so cases are folded across pages.
 */
// pages of 7 positions: most cases' events fall into two or three pages, and the busy case's into many
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "civharm.rebuild.page-size=7")
class ProjectionRebuildTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "incident_rebuild_test");
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    AllegationSummaryRepository repository;
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void rebuildsIntoANewCollectionEqualToTheOldOneWhileReadersCarryOn() throws Exception {
        int cases = 12;
        for (int i = 0; i < cases; i++) {
            String caseId = "REBUILD-" + i;
            post("/allegations", AllegationMother.fileRequest(caseId));
            post("/allegations/" + caseId + "/evidence", AllegationMother.evidence(EventHashes.sha256(caseId)));
            if (i % 2 == 0) {
                post("/allegations/" + caseId + "/assessments", AllegationMother.dismissal());
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                get("/allegations/REBUILD-" + (cases - 2)).path("lastSequence").asLong() == 2
                        && get("/allegations/REBUILD-" + (cases - 1)).path("lastSequence").asLong() == 1);
        String before = repository.currentName();

        // Readers keep getting answers while the rebuild runs.
        AtomicInteger failedReads = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        // a flag, not an interrupt: the HTTP client may swallow the interrupt and the reader would never stop
        AtomicBoolean stopReading = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!stopReading.get()) {
                ResponseEntity<String> r = http.exchange("/allegations/REBUILD-3", HttpMethod.GET, new HttpEntity<>(adminHeaders()), String.class);
                reads.incrementAndGet();
                if (r.getStatusCode().value() != 200) {
                    failedReads.incrementAndGet();
                }
            }
        });
        reader.start();
        // A writer keeps appending to one case while the rebuild runs: whatever the bulk read of the store misses,
        // the catch-up phase must bring in.
        String busy = "REBUILD-5";
        AtomicInteger appended = new AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 40; i++) {
                post("/allegations/" + busy + "/evidence", AllegationMother.evidence(EventHashes.sha256(busy + "-during-" + i)));
                appended.incrementAndGet();
            }
        });
        writer.start();
        ResponseEntity<String> started = http.exchange("/admin/projections/allegation-views/rebuild", HttpMethod.POST, new HttpEntity<>(adminHeaders()), String.class);
        assertThat(started.getStatusCode().value()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !get("/admin/projections").get(0).at("/rebuild/finishedAt").isMissingNode()
                        && !get("/admin/projections").get(0).at("/rebuild/finishedAt").isNull());
        stopReading.set(true);
        reader.join(60_000);
        assertThat(reader.isAlive()).as("the reader stopped").isFalse();
        writer.join();

        JsonNode status = get("/admin/projections").get(0);
        assertThat(status.at("/rebuild/error").isMissingNode() || status.at("/rebuild/error").isNull()).isTrue();
        assertThat(status.get("collection").asText()).isNotEqualTo(before).isEqualTo(status.at("/rebuild/collection").asText());
        assertThat(status.get("replacedCollection").asText()).isEqualTo(before);
        assertThat(status.at("/rebuild/done").asLong()).isGreaterThanOrEqualTo(cases * 2L + cases / 2);
        assertThat(reads.get()).isPositive();
        assertThat(failedReads.get()).isZero();

        List<Document> replaced = repository.contents(before);
        List<Document> rebuilt = repository.contents(status.get("collection").asText());
        assertThat(rebuilt).hasSize(replaced.size()).isNotEmpty();
        // the busy case moved on after the switch in the new collection only; every other case is identical
        assertThat(rebuilt.stream().filter(d -> !busy.equals(d.get("_id"))).toList())
                .isEqualTo(replaced.stream().filter(d -> !busy.equals(d.get("_id"))).toList());
        long lastStored = 1 + appended.get(); // filed (0), evidence (1), then one event per append
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/allegations/" + busy).path("lastSequence").asLong() == lastStored);
        assertThat(repository.contents(status.get("collection").asText()).stream()
                .filter(d -> busy.equals(d.get("_id"))).findFirst().orElseThrow().get("lastSequence", Number.class).longValue())
                .isEqualTo(lastStored);

        // The live projection writes into the new collection from now on.
        post("/allegations/REBUILD-1/assessments", AllegationMother.dismissal());
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "NON_CREDIBLE".equals(get("/allegations/REBUILD-1").path("status").asText()));
        assertThat(repository.contents(status.get("collection").asText()).stream()
                .filter(d -> d.get("_id").equals("REBUILD-1")).findFirst().orElseThrow().getString("status"))
                .isEqualTo("NON_CREDIBLE");
        await("the live projection at the store's head shows no lag").atMost(Duration.ofSeconds(20))
                .until(() -> get("/admin/projections").get(0).get("lag").asLong() == 0);

        assertThat(http.exchange("/admin/projections/no-such-view/rebuild", HttpMethod.POST,
                new HttpEntity<>(adminHeaders()), String.class).getStatusCode().value()).isEqualTo(404);
        HttpHeaders caseworker = new HttpHeaders();
        caseworker.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer(AllegationMother.ACTOR, Roles.CASEWORKER));
        assertThat(http.exchange("/admin/projections/allegation-views/rebuild", HttpMethod.POST,
                new HttpEntity<>(caseworker), String.class).getStatusCode().value()).isEqualTo(403);
    }

    private void post(String path, Map<String, Object> body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer(AllegationMother.ACTOR, Roles.CASEWORKER));
        var response = http.exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), String.class);
        assertThat(response.getStatusCode().value()).as("POST %s: %s", path, response.getBody()).isEqualTo(201);
    }

    private static HttpHeaders adminHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("admin.omar", Roles.ADMIN, Roles.CASEWORKER));
        return headers;
    }

    private JsonNode get(String path) throws Exception {
        ResponseEntity<String> response = http.exchange(path, HttpMethod.GET, new HttpEntity<>(adminHeaders()), String.class);
        return response.getStatusCode().is2xxSuccessful() ? json.readTree(response.getBody()) : json.createObjectNode();
    }
}
