package org.civharm.incident.config;

import com.sun.net.httpserver.HttpServer;
import org.civharm.incident.IncidentServiceApplication;
import org.civharm.incident.support.TestInfrastructure;
import org.civharm.incident.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production configuration: no local key, tokens checked against an identity provider's JWK set
 * ({@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri}), with the audience required and roles from the
 * same claim. The provider here is a local HTTP server publishing the test key.
 */
class IdentityProviderTokensTest {

    @Test
    void tokensAreValidatedAgainstTheProvidersKeySetAndAudience() throws Exception {
        HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = TestTokens.jwkSet().getBytes(StandardCharsets.UTF_8);
        provider.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        provider.start();
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(IncidentServiceApplication.class).run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrap(),
                "--spring.data.mongodb.uri=" + TestInfrastructure.mongoUri(),
                "--civharm.mongo.database=incident_idp_test",
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:"
                        + provider.getAddress().getPort() + "/jwks",
                "--spring.security.oauth2.resourceserver.jwt.audiences=civharm")) {
            String base = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
            Instant later = Instant.now().plusSeconds(600);
            assertThat(get(base, TestTokens.token("amal", "https://idp.example.org", "civharm", later, Roles.CASEWORKER)))
                    .isEqualTo(200);
            assertThat(get(base, TestTokens.token("amal", "https://idp.example.org", "civharm", later, Roles.PUBLIC)))
                    .isEqualTo(403);
            assertThat(get(base, TestTokens.token("amal", "https://idp.example.org", "other-app", later, Roles.CASEWORKER)))
                    .isEqualTo(401);
            assertThat(get(base, TestTokens.token("amal", "https://idp.example.org", "civharm",
                    Instant.now().minusSeconds(600), Roles.CASEWORKER))).isEqualTo(401);
        } finally {
            provider.stop(0);
        }
    }

    private static int get(String base, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/allegations"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
