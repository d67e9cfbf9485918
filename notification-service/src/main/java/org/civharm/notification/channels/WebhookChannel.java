package org.civharm.notification.channels;

import org.civharm.notification.config.ChannelProperties;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * POSTs the alert event envelope as JSON to the configured URL. Headers:
 * <ul>
 *   <li>{@code X-Civharm-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with the shared secret>};</li>
 *   <li>{@code X-Civharm-Delivery-Id}: stable per alert transition and channel — the one resend a crash between sending
 *       and recording can cause carries the same id, so receivers deduplicate on it;</li>
 *   <li>{@code X-Civharm-Event-Id}, {@code X-Civharm-Event-Type}: as in the body;</li>
 *   <li>{@code X-Civharm-Timestamp}: when this attempt was made (epoch seconds), {@code X-Civharm-Attempt}: its number.</li>
 * </ul>
 * Any 2xx answer accepts the delivery; anything else (or no answer within the timeout) is a failed attempt.
 */
public class WebhookChannel implements AlertChannel {

    public static final String NAME = "webhook";
    public static final String DELIVERY_ID = "X-Civharm-Delivery-Id";
    public static final String EVENT_ID = "X-Civharm-Event-Id";
    public static final String EVENT_TYPE = "X-Civharm-Event-Type";
    public static final String TIMESTAMP = "X-Civharm-Timestamp";
    public static final String ATTEMPT = "X-Civharm-Attempt";

    private final ChannelProperties.Webhook config;
    private final URI url;
    private final HttpClient http;
    private final Clock clock;

    public WebhookChannel(ChannelProperties.Webhook config, Clock clock) {
        if (config.secret() == null || config.secret().isBlank()) {
            throw new IllegalStateException("civharm.channels.webhook.secret (CIVHARM_WEBHOOK_SECRET) is required when "
                    + "a webhook URL is set: every delivery is signed");
        }
        this.config = config;
        this.url = URI.create(config.url().strip());
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalStateException("civharm.channels.webhook.url must be an http(s) URL, was " + config.url());
        }
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean carries(AlertTransition transition) {
        return config.transitions().contains(transition);
    }

    @Override
    public void send(Delivery delivery) throws Exception {
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "civharm-notification-service")
                .header(Signatures.HEADER, Signatures.sign(config.secret(), body))
                .header(DELIVERY_ID, delivery.id())
                .header(EVENT_ID, delivery.eventId())
                .header(EVENT_TYPE, delivery.transition().eventType())
                .header(TIMESTAMP, String.valueOf(clock.instant().getEpochSecond()))
                .header(ATTEMPT, String.valueOf(delivery.attempts() + 1))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String text = response.body() == null ? "" : response.body().strip();
            throw new DeliveryFailedException("HTTP " + response.statusCode()
                    + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) : text)));
        }
    }
}
