package org.civharm.notification.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.civharm.notification.support.TestClockConfig;
import org.civharm.notification.support.TestInfrastructure;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.civharm.notification.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.notification.config.Roles.ACCOUNTABILITY_OFFICER;
import static org.civharm.notification.config.Roles.ADMIN;
import static org.civharm.notification.config.Roles.AUDITOR;
import static org.civharm.notification.config.Roles.CASEWORKER;
import static org.civharm.notification.config.Roles.INVESTIGATOR;
import static org.civharm.notification.config.Roles.PUBLIC;

/**
 * Walks every endpoint of the service's own OpenAPI document — so a new endpoint cannot be forgotten — and checks:
 * 401 without a token, 403 for every role that must not call it, neither for the roles that may.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@Import(TestClockConfig.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EndpointSecurityTest {

    private static final List<String> ALL_ROLES = List.of(CASEWORKER, INVESTIGATOR, ACCOUNTABILITY_OFFICER, AUDITOR, ADMIN, PUBLIC);
    private static final Set<String> READERS = Set.of(CASEWORKER, INVESTIGATOR, ACCOUNTABILITY_OFFICER, AUDITOR);

    /** The access policy, written out independently of the security configuration it checks. */
    private static final Set<String> ACTORS = Set.of(CASEWORKER, INVESTIGATOR, ACCOUNTABILITY_OFFICER);
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            entry("GET /alerts", READERS),
            entry("GET /alerts/{id}", READERS),
            entry("POST /alerts/{id}/acknowledgements", ACTORS),
            entry("GET /obligations", READERS),
            entry("GET /obligations/{id}", READERS),
            entry("GET /policies", Set.of(CASEWORKER, INVESTIGATOR, ACCOUNTABILITY_OFFICER, AUDITOR, ADMIN)),
            entry("PUT /policies", Set.of(ADMIN)),
            entry("GET /deliveries", Set.of(ADMIN)),
            entry("GET /deliveries/{id}", Set.of(ADMIN)),
            entry("GET /deliveries/dead-letters", Set.of(ADMIN)),
            entry("POST /deliveries/{id}/retries", Set.of(ADMIN)),
            entry("GET /parked-records", Set.of(ADMIN)),
            entry("GET /admin/projections", Set.of(ADMIN)),
            entry("POST /admin/projections/{name}/rebuild", Set.of(ADMIN)),
            entry("GET /admin/dead-letters", Set.of(ADMIN)),
            entry("GET /admin/dead-letters/{caseId}", Set.of(ADMIN)),
            entry("POST /admin/dead-letters/{caseId}/retries", Set.of(ADMIN)),
            entry("POST /admin/dead-letters/{caseId}/records/{recordId}/discards", Set.of(ADMIN)));

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "notification_security_test", Map.of());
    }

    @Autowired
    TestRestTemplate http;
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
            String url = path.getKey().replaceAll("\\{[^}]+}", "NO-SUCH:assessment-due:x");
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
            assertThat(call(HttpMethod.GET, "/alerts", "Bearer " + token).getStatusCode().value())
                    .as(token).isEqualTo(401);
        }
        assertThat(call(HttpMethod.GET, "/alerts", "Bearer " + valid).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void oversizedBodiesAndOperatorsInQueriesAreRefused() {
        String admin = TestTokens.bearer("ops", ADMIN);
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, admin);
        String huge = "{\"assessment-due\": {\"days\": 10, \"note\": \"" + "x".repeat(300_000) + "\"}}";
        assertThat(http.exchange("/policies", HttpMethod.PUT, new HttpEntity<>(huge, headers), String.class)
                .getStatusCode().value()).isEqualTo(413);
        String reader = TestTokens.bearer("aud", AUDITOR);
        for (String query : List.of("/alerts?case={\"$gt\": \"\"}", "/alerts?case=$where", "/obligations?state={\"$ne\": null}")) {
            int status = http.exchange(java.net.URI.create(http.getRootUri() + query.replace("{", "%7B").replace("}", "%7D")
                            .replace("\"", "%22").replace(" ", "%20").replace("$", "%24")), HttpMethod.GET,
                    new HttpEntity<>(headersWith(reader)), String.class).getStatusCode().value();
            assertThat(status).as(query).isEqualTo(400);
        }
    }

    private static HttpHeaders headersWith(String authorization) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, authorization);
        return headers;
    }

    private org.springframework.http.ResponseEntity<String> call(HttpMethod method, String url, String authorization) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        }
        return http.exchange(url, method, new HttpEntity<>(method == HttpMethod.GET ? null : "{}", headers), String.class);
    }
}
