package org.civharm.notification.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's HTTP server): records every POST with its headers and raw body, and
 * answers 200, or 500 while told to fail.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request: lower-cased header names, raw body, and the status it was answered with. */
    public record Request(Map<String, String> headers, byte[] rawBody, int status) {
        public String body() {
            return new String(rawBody, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public boolean accepted() {
            return status / 100 == 2;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    /** Case id → how many more of its requests to fail (negative: all). */
    private final Map<String, Integer> failing = new java.util.concurrent.ConcurrentHashMap<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/civharm", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            boolean fail = shouldFail(new String(body, StandardCharsets.UTF_8));
            int status = fail ? 500 : 200;
            synchronized (requests) {
                requests.add(new Request(headers, body, status));
            }
            byte[] answer = (fail ? "receiver down" : "ok").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/civharm";
    }

    /**
     * The next {@code n} requests about the case are answered 500 (other cases' requests are not affected: contexts
     * replay the shared topics, so the receiver also gets other tests' alerts).
     */
    public void failNext(String caseId, int n) {
        failing.put(caseId, n);
    }

    /** Every request about the case is answered 500, until {@link #heal}. */
    public void failAlways(String caseId) {
        failing.put(caseId, -1);
    }

    public void heal(String caseId) {
        failing.remove(caseId);
    }

    private boolean shouldFail(String body) {
        for (Map.Entry<String, Integer> rule : failing.entrySet()) {
            if (body.contains("\"caseId\":\"" + rule.getKey() + "\"")) {
                int left = rule.getValue();
                if (left < 0) {
                    return true;
                }
                if (left > 0) {
                    failing.put(rule.getKey(), left - 1);
                    return true;
                }
            }
        }
        return false;
    }

    public List<Request> requests(Predicate<Request> filter) {
        synchronized (requests) {
            return requests.stream().filter(filter).toList();
        }
    }

    /** Requests whose body mentions the case (every alert event carries its case id). */
    public List<Request> forCase(String caseId) {
        return requests(r -> r.body().contains("\"caseId\":\"" + caseId + "\""));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
