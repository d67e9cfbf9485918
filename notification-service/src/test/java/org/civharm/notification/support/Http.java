package org.civharm.notification.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for the service's REST API, as a caseworker's tool would call it. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Http(String base) {
        this.base = base;
    }

    /** One answer: status, content type and body (parsed when JSON). */
    public record Answer(int status, String contentType, String text, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + text, e);
            }
        }
    }

    /** Reads as a user who may read everything here (auditor and admin). */
    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", TestTokens.bearer("reader", "AUDITOR", "ADMIN")).GET());
    }

    public Answer post(String path, String actor, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        if (actor != null) {
            // the actor is the token's subject; caseworker and admin cover every write of this service
            request.header("Authorization", TestTokens.bearer(actor, "CASEWORKER", "ADMIN"));
        }
        return send(request);
    }

    public Answer put(String path, String actor, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        if (actor != null) {
            // the actor is the token's subject; caseworker and admin cover every write of this service
            request.header("Authorization", TestTokens.bearer(actor, "CASEWORKER", "ADMIN"));
        }
        return send(request);
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
