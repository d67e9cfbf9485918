package org.civharm.notification.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import org.civharm.notification.config.ChannelProperties;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Mails alert transitions over SMTP (Spring's {@link JavaMailSender}) to the configured recipients, and escalations
 * also to the escalation recipients. Plain text, with the alert event JSON at the end; the header
 * {@code X-Civharm-Delivery-Id} lets a mail gateway drop a resend.
 */
public class EmailChannel implements AlertChannel {

    public static final String NAME = "email";

    private final ChannelProperties.Email config;
    private final JavaMailSender mail;
    private final ObjectMapper json;

    public EmailChannel(ChannelProperties.Email config, JavaMailSender mail, ObjectMapper json) {
        this.config = config;
        this.mail = mail;
        this.json = json;
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
        JsonNode envelope = json.readTree(delivery.payload());
        JsonNode event = envelope.path("event");
        List<String> to = new ArrayList<>(config.recipients());
        if (delivery.transition() == AlertTransition.ESCALATED) {
            config.escalationRecipients().stream().filter(r -> !to.contains(r)).forEach(to::add);
        }
        MimeMessage message = mail.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
        helper.setFrom(config.from());
        helper.setTo(to.toArray(String[]::new));
        helper.setSubject(subject(delivery.transition(), event));
        helper.setText(text(delivery, event, envelope));
        message.setHeader(WebhookChannel.DELIVERY_ID, delivery.id());
        message.setHeader(WebhookChannel.EVENT_ID, delivery.eventId());
        mail.send(message);
    }

    static String subject(AlertTransition transition, JsonNode e) {
        String caseId = e.path("caseId").asText();
        String policy = e.path("policy").asText();
        return "[civharm] " + switch (transition) {
            case RAISED -> "OVERDUE: case " + caseId + " (" + policy + ", due " + day(e.path("dueAt").asText()) + ")";
            case ACKNOWLEDGED -> "Acknowledged by " + e.path("actor").asText() + ": case " + caseId + " (" + policy + ")";
            case ESCALATED -> "ESCALATED, nobody acknowledged: case " + caseId + " (" + policy + ")";
            case RESOLVED -> "Resolved: case " + caseId + " (" + policy + "), " + e.path("resolvedByEventType").asText()
                    + " arrived";
            case CANCELLED -> "Cancelled: case " + caseId + " (" + policy + ")";
        };
    }

    private static String text(Delivery d, JsonNode e, JsonNode envelope) {
        StringBuilder sb = new StringBuilder();
        sb.append("Case:      ").append(e.path("caseId").asText()).append('\n');
        sb.append("Policy:    ").append(e.path("policy").asText()).append('\n');
        sb.append("Alert:     ").append(d.alertId()).append('\n');
        sb.append("Event:     ").append(d.transition().eventType()).append(" at ").append(e.path("recordedAt").asText())
                .append(" by ").append(e.path("actor").asText()).append('\n');
        switch (d.transition()) {
            case RAISED -> {
                sb.append("Awaited:   ").append(e.path("awaited").asText()).append('\n');
                sb.append("Since:     ").append(e.path("startedByEventType").asText()).append(" of ")
                        .append(e.path("startedAt").asText()).append('\n');
                sb.append("Due:       ").append(e.path("dueAt").asText()).append('\n');
            }
            case ACKNOWLEDGED -> sb.append("Comment:   ").append(e.path("comment").asText()).append('\n');
            case ESCALATED -> sb.append("Why:       ").append(e.path("reason").asText()).append('\n');
            case RESOLVED -> sb.append("Resolved by ").append(e.path("resolvedByEventType").asText()).append(" of ")
                    .append(e.path("occurredAt").asText()).append('\n');
            case CANCELLED -> sb.append("Why:       ").append(e.path("reason").asText()).append('\n');
        }
        sb.append("\nDelivery id: ").append(d.id()).append('\n');
        sb.append("\n-- alert event (").append(envelope.path("eventId").asText()).append(") --\n");
        sb.append(d.payload()).append('\n');
        return sb.toString();
    }

    private static String day(String instant) {
        return instant.length() >= 10 ? instant.substring(0, 10) : instant;
    }
}
