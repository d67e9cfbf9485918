package org.civharm.accountability.views;

import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.civharm.accountability.config.Roles;
import org.civharm.accountability.support.AccountabilityMother;
import org.civharm.accountability.support.AuditDataSet;
import org.civharm.accountability.support.AuditDataSetTest;
import org.civharm.accountability.support.IncidentMother;
import org.civharm.accountability.support.IncidentStream;
import org.civharm.accountability.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every view of this service rebuilt from its source log into a new collection while readers keep getting answers:
 * the record view from the event store, the incident copy and the case file from the Kafka topics from offset 0.
 * After the switch each rebuilt view equals the one it replaced, and new events land in the new collection.
 */
class ProjectionRebuildTest extends AuditDataSetTest {

    private static final String ADMIN = TestTokens.bearer("admin.omar", Roles.ADMIN);

    @Autowired
    List<RebuildableProjection> projections;

    @Test
    void each_view_is_rebuilt_equal_to_the_one_it_replaced_while_readers_carry_on() throws Exception {
        awaitQuiet();
        AtomicInteger reads = new AtomicInteger();
        List<String> failedReads = new java.util.concurrent.CopyOnWriteArrayList<>();
        // a flag, not an interrupt: the HTTP client may swallow the interrupt and the reader would never stop
        AtomicBoolean stopReading = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            List<String> paths = List.of("/cases/" + AuditDataSet.RQ_0628, "/cases/" + AuditDataSet.RQ_0628 + "/file",
                    "/register?operation=" + AuditDataSet.SET, "/amends?caseId=" + AuditDataSet.RQ_0628);
            while (!stopReading.get()) {
                for (String path : paths) {
                    try {
                        ResponseEntity<String> r = get(path);
                        reads.incrementAndGet();
                        if (status(r) != 200) {
                            failedReads.add(path + ": " + status(r));
                        }
                    } catch (RuntimeException e) {
                        if (stopReading.get()) {
                            return; // the test is over
                        }
                        failedReads.add(path + ": " + e);
                    }
                }
            }
        });
        reader.start();
        try {
            for (String name : List.of("accountability-views", "incident-cases", "timeline")) {
                rebuildAndCompare(name);
            }
        } finally {
            stopReading.set(true);
            reader.join(60_000);
        }
        assertThat(reads.get()).isPositive();
        assertThat(failedReads).isEmpty();

        // the live feeds write into the new collections from now on
        String caseId = "REBUILT-LIVE-1";
        IncidentStream.publishAll(List.of(new IncidentStream(caseId).then(IncidentMother.filed(caseId))
                .then(IncidentMother.acknowledged(caseId))));
        awaitRecordOpened(caseId);
        assertThat(status(post("/cases/" + caseId + "/investigations", AccountabilityMother.investigationRequest())))
                .isEqualTo(201);
        awaitView(caseId, 1);
        awaitFile(caseId, 4, "recorded");
        Map<String, String> live = liveCollections();
        assertThat(contents("accountability-views", live.get("accountability-views")))
                .anyMatch(d -> d.get("_id").equals(caseId) && d.getString("stage").equals("INVESTIGATING"));
        assertThat(contents("incident-cases", live.get("incident-cases")))
                .anyMatch(d -> d.get("_id").equals(caseId) && d.getString("status").equals("CREDIBLE"));
        assertThat(contents("timeline", live.get("timeline")).stream().filter(d -> caseId.equals(d.get("caseId"))))
                .hasSize(4);
    }

    @Test
    void unknown_names_are_404_and_kafka_fed_views_are_rebuilt_one_at_a_time() {
        assertThat(status(post("/admin/projections/no-such-view/rebuild"))).isEqualTo(404);
        ResponseEntity<String> first = post("/admin/projections/incident-cases/rebuild");
        assertThat(status(first)).isEqualTo(202);
        ResponseEntity<String> second = post("/admin/projections/timeline/rebuild");
        assertThat(status(second)).as(second.getBody()).isEqualTo(409);
        awaitFinished("incident-cases");
        HttpHeaders caseworker = new HttpHeaders();
        caseworker.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("cw", Roles.CASEWORKER));
        assertThat(http.exchange("/admin/projections/timeline/rebuild", HttpMethod.POST, new HttpEntity<>(caseworker),
                String.class).getStatusCode().value()).isEqualTo(403);
    }

    private void rebuildAndCompare(String name) {
        String before = projection(name).get("collection").asText();
        ResponseEntity<String> started = post("/admin/projections/" + name + "/rebuild");
        assertThat(status(started)).as(started.getBody()).isEqualTo(202);
        assertThat(body(started).get("phase").asText()).isEqualTo("CATCHING_UP");
        JsonNode status = awaitFinished(name);
        assertThat(status.at("/rebuild/error").isMissingNode() || status.at("/rebuild/error").isNull())
                .as(status.toString()).isTrue();
        assertThat(status.at("/rebuild/phase").asText()).isEqualTo("DONE");
        String after = status.get("collection").asText();
        assertThat(after).isNotEqualTo(before).isEqualTo(status.at("/rebuild/collection").asText());
        assertThat(status.get("replacedCollection").asText()).isEqualTo(before);
        assertThat(status.at("/rebuild/done").asLong()).isPositive().isEqualTo(status.at("/rebuild/total").asLong());
        assertThat(status.at("/rebuild/fraction").asDouble()).isEqualTo(1.0);
        assertThat(status.at("/rebuild/rate").asDouble()).isPositive();
        assertThat(status.at("/rebuild/etaSeconds").asDouble()).isZero();

        List<Document> replaced = contents(name, before);
        List<Document> rebuilt = contents(name, after);
        assertThat(rebuilt).isNotEmpty().hasSize(replaced.size());
        assertThat(rebuilt).isEqualTo(replaced);
    }

    /** Nothing in flight: every projection has applied its whole source, twice in a row a second apart. */
    private void awaitQuiet() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode all = body(get("/admin/projections"));
            for (JsonNode p : all) {
                if (p.get("lag").asLong() != 0) {
                    return false;
                }
            }
            return sizes().equals(sizesAfter(Duration.ofMillis(500)));
        });
    }

    private Map<String, Integer> sizesAfter(Duration pause) throws InterruptedException {
        Thread.sleep(pause.toMillis());
        return sizes();
    }

    private Map<String, Integer> sizes() {
        Map<String, String> live = liveCollections();
        return live.keySet().stream().collect(Collectors.toMap(Function.identity(), n -> contents(n, live.get(n)).size()));
    }

    private Map<String, String> liveCollections() {
        JsonNode all = body(get("/admin/projections"));
        Map<String, String> out = new java.util.TreeMap<>();
        all.forEach(p -> out.put(p.get("name").asText(), p.get("collection").asText()));
        return out;
    }

    private List<Document> contents(String projection, String collection) {
        return new ArrayList<>(projections.stream().filter(p -> p.name().equals(projection)).findFirst().orElseThrow()
                .contents(collection));
    }

    private JsonNode awaitFinished(String name) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode rebuild = projection(name).path("rebuild");
            return rebuild.hasNonNull("finishedAt");
        });
        return projection(name);
    }

    private JsonNode projection(String name) {
        for (JsonNode p : body(getAs("/admin/projections", ADMIN))) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private ResponseEntity<String> post(String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, ADMIN);
        return http.exchange(path, HttpMethod.POST, new HttpEntity<>(headers), String.class);
    }
}
