package org.civharm.accountability.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests over the fixed data set ({@link AuditDataSet}): the set is published once per test JVM (to the
 * incident topic, with correct hash chains) and its accountability steps are taken over the API; every subclass
 * shares the one Spring context of {@link ServiceIntegrationTest}.
 */
public abstract class AuditDataSetTest extends ServiceIntegrationTest {

    private static boolean published;

    @BeforeEach
    void dataSetOnRecord() {
        synchronized (AuditDataSetTest.class) {
            if (published) {
                return;
            }
            IncidentStream.publishAll(AuditDataSet.incidentStreams());
            AuditDataSet.ACKNOWLEDGED.forEach(this::awaitRecordOpened);
            String raqqa = "/cases/" + AuditDataSet.RQ_0628;
            created(post(raqqa + "/investigations", AccountabilityMother.investigationRequest(), AuditDataSet.RECORDER));
            created(post(raqqa + "/findings", AccountabilityMother.findingsRequest("INV-1"), AuditDataSet.RECORDER));
            created(post(raqqa + "/amends", AccountabilityMother.amendsRequest("2500.00", "USD"), AuditDataSet.RECORDER));
            created(post(raqqa + "/amends/AM-1/payments", AccountabilityMother.paymentRequest("2500.00", "USD"),
                    AuditDataSet.RECORDER));
            created(post("/cases/" + AuditDataSet.MS_0317 + "/investigations",
                    AccountabilityMother.investigationRequest(), AuditDataSet.RECORDER));
            // the case file has every event of both topics: 6 + 5 for the Raqqa case, 2 + 2 for Mosul, ...
            Map<String, Integer> expected = Map.of(AuditDataSet.RQ_0628, 11, AuditDataSet.RQ_0718, 3,
                    AuditDataSet.RQ_1012, 6, AuditDataSet.RQ_0801, 3, AuditDataSet.RQ_0903, 3, AuditDataSet.RQ_DUP, 2,
                    AuditDataSet.MS_0317, 4, AuditDataSet.PK_0708, 1);
            expected.forEach((caseId, count) -> awaitFile(caseId, count, "recorded"));
            published = true;
        }
    }

    private static void created(ResponseEntity<String> response) {
        assertThat(status(response)).as(response.getBody()).isEqualTo(201);
    }

    /** GET with the given bearer token header value. */
    protected ResponseEntity<String> getAs(String path, String authorization) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, authorization);
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    protected ResponseEntity<String> getAs(String path, String authorization, String accept) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, authorization);
        headers.set(HttpHeaders.ACCEPT, accept);
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    protected JsonNode ok(ResponseEntity<String> response) {
        assertThat(status(response)).as(response.getBody()).isEqualTo(200);
        return body(response);
    }

    protected static void awaitUntil(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(WAIT).until(condition);
    }
}
