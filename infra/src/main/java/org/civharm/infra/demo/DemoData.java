package org.civharm.infra.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.civharm.infra.security.Tokens;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.List;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Loads the demo cases of {@code demo/civharm-demo.json} into a running local system through the services' public
 * HTTP APIs, as a caseworker would. Idempotent: each step of a case produces exactly one event, so on a re-run the
 * loader reads the case's event stream and skips the steps it already holds (a crash half-way resumes where it
 * stopped; loading twice creates no duplicates).
 */
public final class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final String RESOURCE = "/demo/civharm-demo.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OPENING_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI incident;
    private final URI accountability;
    private final String actor;
    private final String caseworkerToken;
    private final String officerToken;
    private final String readerToken;
    private int stepsApplied;

    private DemoData(URI incident, URI accountability, String actor, PrivateKey signingKey) throws GeneralSecurityException {
        this.incident = incident;
        this.accountability = accountability;
        this.actor = actor;
        // the demo acts through the same authenticated API as any user: the token's subject is who each event records
        this.caseworkerToken = Tokens.mint(signingKey, actor, List.of("CASEWORKER"), TOKEN_LIFETIME);
        this.officerToken = Tokens.mint(signingKey, actor, List.of("INVESTIGATOR", "ACCOUNTABILITY_OFFICER"), TOKEN_LIFETIME);
        this.readerToken = Tokens.mint(signingKey, actor, List.of("CASEWORKER", "AUDITOR"), TOKEN_LIFETIME);
    }

    /**
     * @param incidentBase       base URL of incident-service, e.g. {@code http://127.0.0.1:8081}
     * @param accountabilityBase base URL of accountability-service, e.g. {@code http://127.0.0.1:8082}
     * @param signingKey         the local token signing key (see {@link org.civharm.infra.security.LocalKeys})
     * @return the number of steps (events) this call recorded; 0 when everything was loaded already
     */
    public static int load(URI incidentBase, URI accountabilityBase, PrivateKey signingKey) throws Exception {
        JsonNode demo;
        try (InputStream in = DemoData.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            demo = JSON.readTree(in);
        }
        DemoData loader = new DemoData(incidentBase, accountabilityBase, demo.path("actor").asText("demo.caseworker"),
                signingKey);
        for (JsonNode demoCase : demo.get("cases")) {
            loader.loadCase(demoCase);
        }
        log.info("demo data: {} cases, {} new events recorded", demo.get("cases").size(), loader.stepsApplied);
        return loader.stepsApplied;
    }

    private void loadCase(JsonNode demoCase) throws IOException, InterruptedException {
        String caseId = demoCase.get("caseId").asText();
        int recorded = eventCount(incident.resolve("/allegations/" + caseId + "/events"));
        if (recorded == 0) {
            post(incident.resolve("/allegations"), demoCase.get("allegation"), caseId, caseworkerToken);
            recorded = 1;
        }
        JsonNode steps = demoCase.path("incidentSteps");
        for (int i = recorded - 1; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            post(incident.resolve("/allegations/" + caseId + "/" + step.get("path").asText()), step.get("body"), caseId,
                    caseworkerToken);
        }

        JsonNode followUp = demoCase.path("accountabilitySteps");
        if (followUp.isEmpty()) {
            return;
        }
        // The record is opened by accountability-service itself when it consumes the acknowledgement from Kafka.
        URI events = accountability.resolve("/cases/" + caseId + "/events");
        Instant deadline = Instant.now().plus(OPENING_TIMEOUT);
        int opened;
        while ((opened = eventCount(events)) == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("accountability record of " + caseId + " was not opened within "
                        + OPENING_TIMEOUT.toSeconds() + " s of its acknowledgement");
            }
            Thread.sleep(250);
        }
        for (int i = opened - 1; i < followUp.size(); i++) {
            JsonNode step = followUp.get(i);
            post(accountability.resolve("/cases/" + caseId + "/" + step.get("path").asText()), step.get("body"), caseId,
                    officerToken);
        }
    }

    private int eventCount(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + readerToken).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).size();
    }

    private void post(URI uri, JsonNode body, String caseId, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("X-Actor", actor) // for services that do not read the actor from the token yet
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("demo case " + caseId + ": POST " + uri + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        stepsApplied++;
    }
}
