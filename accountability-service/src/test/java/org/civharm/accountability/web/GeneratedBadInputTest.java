package org.civharm.accountability.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import org.civharm.accountability.config.Roles;
import org.civharm.accountability.support.AccountabilityMother;
import org.civharm.accountability.support.IncidentMother;
import org.civharm.accountability.support.IncidentTopic;
import org.civharm.accountability.support.ServiceIntegrationTest;
import org.civharm.accountability.support.TestTokens;
import org.civharm.accountability.views.TimelineRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Generated bad input (a seeded generator, so a failure reproduces: {@code -Dcivharm.fuzz.seed=N}): at least 1,000
 * requests across every endpoint of the OpenAPI document — wrong types, missing and extra fields, huge strings and
 * arrays, invalid dates and ranges (min above max, future dates, end before start), bad ids, Unicode edge cases (NUL,
 * lone surrogates, right-to-left override, emoji), MongoDB operators in query parameters and bodies. Asserted: no
 * 5xx; every refusal is problem+json and a 400 names the field; a refused request stores nothing — the event store
 * and every view collection count the same after it as before.
 */
class GeneratedBadInputTest extends ServiceIntegrationTest {

    /** Fixed so a failure reproduces; another seed: -Dcivharm.fuzz.seed=N. */
    private static final long SEED = Long.getLong("civharm.fuzz.seed", 20180726L);
    private static final int REQUESTS = 1_100;
    private static final String CASE = "FUZZ-1";
    /** Replaced by a JSON escape of a lone surrogate after the body is written (Java strings cannot carry it to the wire). */
    private static final String LONE_SURROGATE = "@@LONE_SURROGATE@@";
    private static final List<String> NASTY_STRINGS = List.of("", " ", "\u0000", "a\u0000b", LONE_SURROGATE,
            "\u202Eevil\u202C", "\uD83D\uDCA3\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\u200D\u200D", "\uFEFF",
            "الرقة", "'; db.dropDatabase(); //", "$where", "{\"$gt\": \"\"}", "$gt", "this.caseId == 'x'",
            "../../etc/passwd", "<script>alert(1)</script>", "x".repeat(5000), "2017-02-30", "-1", "1e309", "NaN",
            "null", "AM-1", "L-1", "USD", "XXX");
    private static final List<String> DATES = List.of("2017-13-45", "yesterday", "2999-01-01", "2999-01-01T00:00:00Z",
            "2017-06-28T25:00:00Z", "0000-00-00", "2017-06-28", "+999999999-12-31", "-2017-01-01", "2018-02-29");

    @Autowired
    MongoClient mongo;
    @Autowired
    TimelineRepository timeline;
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(SEED);

    @Test
    void generated_bad_requests_never_cause_a_server_error_and_a_refusal_stores_nothing() throws Exception {
        IncidentTopic.publish(IncidentMother.filed(CASE), 0);
        IncidentTopic.publish(IncidentMother.acknowledged(CASE), 1);
        awaitRecordOpened(CASE);
        awaitSettled();

        JsonNode api = body(send(HttpMethod.GET, "/v3/api-docs", null));
        Map<String, JsonNode> validBodies = validBodies();
        List<String> endpoints = new ArrayList<>();
        Map<String, List<String>> queryParams = new LinkedHashMap<>();
        api.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            String endpoint = m.getKey().toUpperCase() + " " + p.getKey();
            endpoints.add(endpoint);
            List<String> names = new ArrayList<>();
            m.getValue().path("parameters").forEach(param -> {
                if ("query".equals(param.path("in").asText())) {
                    names.add(param.get("name").asText());
                }
            });
            queryParams.put(endpoint, names);
        }));
        assertThat(endpoints).as("the documented endpoints").hasSizeGreaterThan(20);
        assertThat(validBodies.keySet()).as("a valid body for every documented POST")
                .containsAll(endpoints.stream().filter(e -> e.startsWith("POST ")).toList());

        int requests = 0;
        int refused = 0;
        long countingNanos = 0;
        long requestNanos = 0;
        // the counts after one request are the counts before the next (a success is awaited until all is settled)
        Map<String, Long> before = storedCounts();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        while (requests < REQUESTS) {
            String endpoint = endpoints.get(requests % endpoints.size() == 0 ? 0 : random.nextInt(endpoints.size()));
            HttpMethod method = HttpMethod.valueOf(endpoint.substring(0, endpoint.indexOf(' ')));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            String url = path.replace("{caseId}", random.nextInt(4) == 0 ? badId() : CASE)
                    .replace("{amendsId}", random.nextInt(3) == 0 ? badId() : "AM-1")
                    .replace("{letterId}", random.nextInt(3) == 0 ? badId() : "L-1")
                    .replace("{recordId}", random.nextBoolean() ? "civharm.incident.events.v1-0-0" : badId())
                    .replace("{kind}", random.nextInt(3) == 0 ? pick(List.of("incidents", "amends")) : badId())
                    // never a real projection name: a rebuild is no bad input
                    .replace("{name}", random.nextBoolean() ? "timeline-x" : badId());
            String body = null;
            if (method == HttpMethod.POST) {
                body = mutatedBody(validBodies.get(endpoint));
            }
            if (method == HttpMethod.GET || random.nextInt(4) == 0) {
                url = url + badQuery(queryParams.getOrDefault(endpoint, List.of()));
            }
            long t0 = System.nanoTime();
            ResponseEntity<String> response = send(method, url, body);
            requestNanos += System.nanoTime() - t0;
            requests++;
            int status = response.getStatusCode().value();
            statuses.merge(status, 1, Integer::sum);
            String where = endpoint + " " + abbreviate(url) + " " + abbreviate(body);
            if (status >= 500) {
                failures.add(status + " " + where + " → " + abbreviate(response.getBody()));
                before = storedCounts();
                continue;
            }
            if (status < 400) {
                if (method == HttpMethod.POST) {
                    awaitSettled(); // what a success changed reaches the views before the next comparison
                }
                before = storedCounts();
                continue;
            }
            refused++;
            long t1 = System.nanoTime();
            Map<String, Long> after = storedCounts();
            countingNanos += System.nanoTime() - t1;
            if (!after.equals(before)) {
                failures.add("stored something although refused with " + status + ": " + where + " " + before
                        + " → " + after);
            }
            before = after;
            MediaType type = response.getHeaders().getContentType();
            if (type == null || !type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
                failures.add(status + " without problem+json: " + where);
            } else if (status == 400) {
                JsonNode problem = json.readTree(response.getBody());
                if (!problem.has("errors") || problem.get("errors").findValuesAsText("field").stream()
                        .anyMatch(String::isBlank) || problem.get("errors").isEmpty()) {
                    failures.add("400 naming no field: " + where + " → " + abbreviate(response.getBody()));
                }
            }
        }
        System.out.printf("generated bad input (seed %d): %d requests, %d refused, statuses %s, %d failures; "
                        + "%d ms in requests, %d ms counting%n", SEED, requests, refused, statuses, failures.size(),
                requestNanos / 1_000_000, countingNanos / 1_000_000);
        assertThat(refused).as("most generated requests are refused").isGreaterThan(REQUESTS / 2);
        assertThat(failures).isEmpty();
    }

    /** Paths refused before the application (Tomcat's URI checks, Spring Security's firewall): 400 naming the path. */
    @Test
    void paths_refused_before_the_application_are_problems_naming_the_path() {
        for (String path : List.of("/cases/%00", "/cases/x%00y/file", "/cases/%ED%A0%80", "/cases/a%2Fb", "/cases/%5C",
                "/cases/%2e%2e", "/cases/..", "/cases/%25", "/cases/a;b/events", "/admin/dead-letters/%00/retries")) {
            for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
                ResponseEntity<String> r = send(method, path, method == HttpMethod.POST ? "{}" : null);
                assertThat(status(r)).as(method + " " + path).isEqualTo(400);
                assertThat(fields(r)).as(method + " " + path).containsExactly("path");
            }
        }
    }

    /** One valid body per documented POST endpoint; mutations start from it. */
    private Map<String, JsonNode> validBodies() {
        Map<String, JsonNode> bodies = new LinkedHashMap<>();
        bodies.put("POST /cases", json.valueToTree(AccountabilityMother.openRequest(CASE)));
        bodies.put("POST /cases/{caseId}/investigations", json.valueToTree(AccountabilityMother.investigationRequest()));
        bodies.put("POST /cases/{caseId}/findings", json.valueToTree(AccountabilityMother.findingsRequest("INV-1")));
        bodies.put("POST /cases/{caseId}/attributions", json.valueToTree(AccountabilityMother.attributionRequest()));
        bodies.put("POST /cases/{caseId}/explanations", json.valueToTree(AccountabilityMother.explanationRequest()));
        bodies.put("POST /cases/{caseId}/apologies", json.valueToTree(AccountabilityMother.apologyRequest()));
        bodies.put("POST /cases/{caseId}/amends", json.valueToTree(AccountabilityMother.amendsRequest("2500.00", "USD")));
        bodies.put("POST /cases/{caseId}/amends/{amendsId}/payments",
                json.valueToTree(AccountabilityMother.paymentRequest("2500.00", "USD")));
        bodies.put("POST /cases/{caseId}/amends/{amendsId}/declines", json.valueToTree(AccountabilityMother.declineRequest()));
        bodies.put("POST /cases/{caseId}/correspondence", json.valueToTree(AccountabilityMother.letterRequest()));
        bodies.put("POST /cases/{caseId}/correspondence/{letterId}/replies",
                json.valueToTree(AccountabilityMother.replyRequest()));
        bodies.put("POST /cases/{caseId}/closure", json.valueToTree(AccountabilityMother.reasonRequest("done")));
        bodies.put("POST /cases/{caseId}/reopenings", json.valueToTree(AccountabilityMother.reasonRequest("new facts")));
        bodies.put("POST /admin/projections/{name}/rebuild", json.createObjectNode());
        bodies.put("POST /admin/dead-letters/{caseId}/retries", json.createObjectNode());
        bodies.put("POST /admin/dead-letters/{caseId}/records/{recordId}/discards",
                json.createObjectNode().put("reason", "no such event"));
        return bodies;
    }

    /** The body with one to three random mutations somewhere in its tree, as JSON text; sometimes not JSON at all. */
    private String mutatedBody(JsonNode valid) {
        if (random.nextInt(15) == 0) {
            return pick(List.of("{", "[1,2", "{\"reason\": }", "null", "42", "\"text\"", "{\"a\":\"\\ud800\"}",
                    "{\"reason\":\"" + "z".repeat(300_000) + "\"}", "\u0000", "{} {}", "{\"$where\": \"sleep(1000)\"}"));
        }
        JsonNode body = valid.deepCopy();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            List<ObjectNode> objects = new ArrayList<>();
            collectObjects(body, objects);
            if (objects.isEmpty()) {
                break;
            }
            ObjectNode target = objects.get(random.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            String name = names.isEmpty() ? "reason" : names.get(random.nextInt(names.size()));
            switch (random.nextInt(13)) {
                case 0 -> target.remove(name);
                case 1 -> target.put(name, random.nextInt());
                case 2 -> target.put(name, pick(NASTY_STRINGS));
                case 3 -> target.put(name, "y".repeat(2_001 + random.nextInt(40_000)));
                case 4 -> {
                    ArrayNode huge = target.putArray(name);
                    int n = 11 + random.nextInt(2000);
                    for (int k = 0; k < n; k++) {
                        huge.add(random.nextBoolean() ? "FIELD_VISIT" : "item" + k);
                    }
                }
                case 5 -> target.putObject(name).put("$gt", "");
                case 6 -> target.put(random.nextBoolean() ? "unexpected" + random.nextInt(100) : "$where", "1 == 1");
                case 7 -> target.put(name, pick(DATES));
                case 8 -> target.putObject(name).put("min", 50).put("max", 10);
                case 9 -> target.putNull(name);
                case 10 -> target.put(name, pick(List.of("-2500.00", "0", "1e400", "0.001", "99999999999999999999.99",
                        "NaN", "2500.005")));
                case 11 -> swapDates(target);
                default -> target.put(name, random.nextBoolean());
            }
        }
        return body.toString().replace(LONE_SURROGATE, "\\ud800");
    }

    /** End before start: a later date into the earlier field and the other way round, where the body has dates. */
    private void swapDates(ObjectNode target) {
        if (target.has("sentOn")) {
            target.put("sentOn", "2018-10-01").put("responseDueOn", "2018-09-01");
        } else if (target.has("answeredOn")) {
            target.put("answeredOn", "2001-01-01");
        } else {
            target.put("occurredAt", pick(List.of("2999-01-01T00:00:00Z", "1900-01-01T00:00:00Z")));
        }
    }

    private void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
            object.elements().forEachRemaining(c -> collectObjects(c, into));
        } else if (node instanceof ArrayNode array) {
            array.forEach(c -> collectObjects(c, into));
        }
    }

    private String badQuery(List<String> documented) {
        List<String> names = new ArrayList<>(documented);
        names.addAll(List.of("caseId[$ne]", "$where", "from", "to", "page", "size", "asOf", "status", "q"));
        StringBuilder query = new StringBuilder("?");
        int params = 1 + random.nextInt(4);
        for (int i = 0; i < params; i++) {
            String name = pick(names);
            String value = switch (random.nextInt(5)) {
                case 0 -> pick(DATES);
                case 1 -> pick(List.of("-1", "0", "2147483648", "99999999999", "1.5", "abc"));
                case 2 -> "{\"$gt\":\"\"}";
                default -> pick(NASTY_STRINGS);
            };
            query.append(i == 0 ? "" : "&").append(encode(name)).append('=').append(value.equals(LONE_SURROGATE)
                    ? "%ED%A0%80" : encode(value));
        }
        if (random.nextInt(6) == 0) {
            query.append("&from=2019-01-01&to=2018-01-01"); // end before start
        }
        return query.toString();
    }

    private String badId() {
        return encode(pick(List.of("x", "a".repeat(300), "$where", "{\"$ne\":null}", "..", "CASE 1", "الرقة", "\u0000",
                "\uD83D\uDCA3", "\u202Eevil", "AM-0", "L-999999999999", "%00")));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Documents per collection of this service's database (event store, snapshots, views, logs, dead letters). */
    private Map<String, Long> storedCounts() {
        MongoDatabase db = mongo.getDatabase(DATABASE);
        Map<String, Long> counts = new TreeMap<>();
        for (String name : db.listCollectionNames()) {
            if (!name.equals("trackingtokens")) { // positions, updated in place
                counts.put(name, db.getCollection(name).estimatedDocumentCount());
            }
        }
        return counts;
    }

    /** Waits until nothing moves: the same counts twice, 300 ms apart, and the case file has every event of the record. */
    private void awaitSettled() {
        Map<String, Long>[] last = new Map[]{Map.of()};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Map<String, Long> now = storedCounts();
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same && timeline.countByCase(CASE) == streamLength(CASE) + 2;
        });
    }

    private ResponseEntity<String> send(HttpMethod method, String pathAndQuery, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("fuzzer", Roles.CASEWORKER, Roles.INVESTIGATOR,
                Roles.ACCOUNTABILITY_OFFICER, Roles.AUDITOR, Roles.ADMIN, Roles.PUBLIC));
        return http.exchange(URI.create(http.getRootUri() + pathAndQuery), method, new HttpEntity<>(body, headers),
                String.class);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
