package org.civharm.accountability.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.civharm.accountability.support.ServiceIntegrationTest;
import org.civharm.accountability.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.accountability.config.Roles.ACCOUNTABILITY_OFFICER;
import static org.civharm.accountability.config.Roles.ADMIN;
import static org.civharm.accountability.config.Roles.AUDITOR;
import static org.civharm.accountability.config.Roles.CASEWORKER;
import static org.civharm.accountability.config.Roles.INVESTIGATOR;
import static org.civharm.accountability.config.Roles.PUBLIC;

/**
 * Walks every endpoint of the service's own OpenAPI document — so a new endpoint cannot be forgotten — and checks:
 * 401 without a token, 403 for every role that must not call it, neither for the roles that may.
 */
class EndpointSecurityTest extends ServiceIntegrationTest {

    private static final List<String> ALL_ROLES = List.of(CASEWORKER, INVESTIGATOR, ACCOUNTABILITY_OFFICER, AUDITOR, ADMIN, PUBLIC);
    private static final Set<String> READERS = Set.of(CASEWORKER, INVESTIGATOR, ACCOUNTABILITY_OFFICER, AUDITOR);
    private static final Set<String> PUBLIC_REPORTS = Set.of(CASEWORKER, INVESTIGATOR, ACCOUNTABILITY_OFFICER, AUDITOR, PUBLIC);

    /** The access policy, written out independently of the security configuration it checks. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            entry("POST /cases", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("GET /cases", READERS),
            entry("GET /cases/{caseId}", READERS),
            entry("GET /cases/{caseId}/file", READERS),
            entry("GET /cases/{caseId}/events", READERS),
            entry("GET /amends", READERS),
            entry("POST /cases/{caseId}/investigations", Set.of(INVESTIGATOR)),
            entry("POST /cases/{caseId}/findings", Set.of(INVESTIGATOR)),
            entry("POST /cases/{caseId}/attributions", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("POST /cases/{caseId}/explanations", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("POST /cases/{caseId}/apologies", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("POST /cases/{caseId}/amends", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("POST /cases/{caseId}/amends/{amendsId}/payments", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("POST /cases/{caseId}/amends/{amendsId}/declines", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("POST /cases/{caseId}/correspondence", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("POST /cases/{caseId}/correspondence/{letterId}/replies", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("POST /cases/{caseId}/closure", Set.of(ACCOUNTABILITY_OFFICER)),
            entry("POST /cases/{caseId}/reopenings", Set.of(ACCOUNTABILITY_OFFICER)),
            // auditing: replay for readers, integrity for auditors and officers, exports for auditors only
            entry("GET /cases/{caseId}/replay", READERS),
            entry("GET /cases/{caseId}/integrity", Set.of(AUDITOR, ACCOUNTABILITY_OFFICER)),
            entry("GET /cases/{caseId}/export", Set.of(AUDITOR)),
            entry("GET /register", READERS),
            entry("GET /exports/{kind}", Set.of(AUDITOR)),
            entry("GET /exports/log", Set.of(AUDITOR)),
            // aggregate reports (no personal data, no free text): the public role too
            entry("GET /reports/monthly", PUBLIC_REPORTS),
            entry("GET /reports/gap", PUBLIC_REPORTS),
            entry("GET /reports/annual", PUBLIC_REPORTS),
            entry("GET /admin/projections", Set.of(ADMIN)),
            entry("POST /admin/projections/{name}/rebuild", Set.of(ADMIN)),
            entry("GET /admin/dead-letters", Set.of(ADMIN)),
            entry("GET /admin/dead-letters/{caseId}", Set.of(ADMIN)),
            entry("POST /admin/dead-letters/{caseId}/retries", Set.of(ADMIN)),
            entry("POST /admin/dead-letters/{caseId}/records/{recordId}/discards", Set.of(ADMIN)));

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyDocumentedEndpointRefusesAnonymousCallersAndTheWrongRoles() throws Exception {
        JsonNode api = json.readTree(call(HttpMethod.GET, "/v3/api-docs", TestTokens.bearer("admin", ADMIN)).getBody());
        Set<String> documented = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        api.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            String endpoint = method.toUpperCase() + " " + path.getKey();
            documented.add(endpoint);
            Set<String> allowed = ALLOWED.get(endpoint);
            if (allowed == null) {
                failures.add(endpoint + ": not in the access policy of this test");
                return;
            }
            String url = path.getKey().replace("{caseId}", "NO-SUCH-CASE").replace("{amendsId}", "AM-1")
                    .replace("{letterId}", "L-1").replace("{name}", "no-such-projection")
                    .replace("{kind}", "incidents").replace("{recordId}", "civharm.incident.events.v1-0-0");
            HttpMethod httpMethod = HttpMethod.valueOf(method.toUpperCase());
            int anonymous = call(httpMethod, url, null).getStatusCode().value();
            if (anonymous != 401) {
                failures.add(endpoint + " without a token: " + anonymous);
            }
            for (String role : ALL_ROLES) {
                int status = call(httpMethod, url, TestTokens.bearer("user-" + role, role)).getStatusCode().value();
                boolean mayCall = allowed.contains(role);
                if (mayCall && (status == 401 || status == 403)) {
                    failures.add(endpoint + " as " + role + ": " + status + " but the role may call it");
                } else if (!mayCall && status != 403) {
                    failures.add(endpoint + " as " + role + ": " + status + " but the role must get 403");
                }
            }
        }));
        assertThat(failures).isEmpty();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
    }

    @Test
    void onlyHealthIsOpenAndOperationalEndpointsNeedAdmin() {
        assertThat(call(HttpMethod.GET, "/actuator/health", null).getStatusCode().value()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/v3/api-docs", null).getStatusCode().value()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/actuator/prometheus", null).getStatusCode().value()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/actuator/prometheus", TestTokens.bearer("cw", CASEWORKER)).getStatusCode().value())
                .isEqualTo(403);
        assertThat(call(HttpMethod.GET, "/actuator/prometheus", TestTokens.bearer("ops", ADMIN)).getStatusCode().value())
                .isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/no/such/path", TestTokens.bearer("cw", CASEWORKER)).getStatusCode().value())
                .isEqualTo(403);
    }

    @Test
    void tokensThatAreExpiredForeignOrForgedAreRefused() {
        Instant later = Instant.now().plusSeconds(600);
        String expired = TestTokens.token("cw", "civharm-local", "civharm", Instant.now().minusSeconds(600), CASEWORKER);
        String otherIssuer = TestTokens.token("cw", "someone-else", "civharm", later, CASEWORKER);
        String otherAudience = TestTokens.token("cw", "civharm-local", "another-app", later, CASEWORKER);
        String valid = TestTokens.token("cw", "civharm-local", "civharm", later, CASEWORKER);
        String[] parts = valid.split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"cw\",\"iss\":\"civharm-local\",\"aud\":\"civharm\",\"exp\":9999999999,\"roles\":[\"ADMIN\"]}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        for (String token : List.of(expired, otherIssuer, otherAudience, forged, "not-a-jwt")) {
            assertThat(call(HttpMethod.GET, "/cases", "Bearer " + token).getStatusCode().value())
                    .as(token).isEqualTo(401);
        }
        assertThat(call(HttpMethod.GET, "/cases", "Bearer " + valid).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void oversizedBodiesAndOperatorsInQueriesAreRefused() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("officer", ACCOUNTABILITY_OFFICER));
        String huge = "{\"caseId\": \"HUGE-1\", \"reason\": \"" + "x".repeat(300_000) + "\"}";
        assertThat(http.exchange("/cases", HttpMethod.POST, new HttpEntity<>(huge, headers), String.class)
                .getStatusCode().value()).isEqualTo(413);
        HttpHeaders reader = new HttpHeaders();
        reader.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("aud", AUDITOR));
        for (String query : List.of("/cases?stage=%7B%22%24ne%22%3Anull%7D", "/amends?currency=%7B%22%24gt%22%3A%22%22%7D")) {
            assertThat(http.exchange(java.net.URI.create(http.getRootUri() + query), HttpMethod.GET,
                    new HttpEntity<>(reader), String.class).getStatusCode().value()).as(query).isEqualTo(400);
        }
        HttpHeaders readerJson = new HttpHeaders();
        readerJson.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer("aud", AUDITOR));
        var literal = http.exchange(java.net.URI.create(http.getRootUri() + "/cases?memberState=%24where"), HttpMethod.GET,
                new HttpEntity<>(readerJson), String.class);
        assertThat(literal.getStatusCode().value()).isEqualTo(200); // matched as literal text: no case names "$where"
        assertThat(literal.getBody()).contains("\"total\":0");
    }

    private org.springframework.http.ResponseEntity<String> call(HttpMethod method, String url, String authorization) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        }
        return http.exchange(url, method, new HttpEntity<>(method == HttpMethod.POST ? "{}" : null, headers), String.class);
    }
}
