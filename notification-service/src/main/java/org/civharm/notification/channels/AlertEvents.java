package org.civharm.notification.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.alert.AlertAcknowledgedEvent;
import org.civharm.contract.alert.AlertCancelledEvent;
import org.civharm.contract.alert.AlertEscalatedEvent;
import org.civharm.contract.alert.AlertEvent;
import org.civharm.contract.alert.AlertRaisedEvent;
import org.civharm.contract.alert.AlertResolvedEvent;
import org.civharm.notification.config.ContractJson;
import org.civharm.notification.domain.Alert;
import org.civharm.notification.domain.AlertHistoryEntry;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.FactRef;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds the published form of an alert transition: an {@link EventEnvelope} of an {@link AlertEvent}, the same JSON
 * on every channel (Kafka value, webhook body, attached to the e-mail). Everything in it comes from the stored alert's
 * history, so building it again later (after a crash) gives the same bytes; its {@code eventId} is a name-based UUID
 * of {@code <alertId>:<transition>}, stable across resends.
 */
@Component
public class AlertEvents {

    public static final String PRODUCED_BY = "notification-service";

    private final ObjectWriter writer;

    public AlertEvents(ContractJson json) {
        this.writer = json.writer().writerFor(new TypeReference<EventEnvelope<AlertEvent>>() {
        });
    }

    public static String eventId(String alertId, AlertTransition transition) {
        return UUID.nameUUIDFromBytes((alertId + ":" + transition.name()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public EventEnvelope<AlertEvent> envelope(Alert alert, AlertTransition transition) {
        AlertHistoryEntry entry = alert.entry(transition);
        AlertEvent event = event(alert, entry);
        return new EventEnvelope<>(eventId(alert.id(), transition), transition.eventType(),
                EventEnvelope.CURRENT_CONTRACT_VERSION, alert.caseId(), entry.sequence(), PRODUCED_BY, entry.at(), event);
    }

    public String payload(Alert alert, AlertTransition transition) {
        try {
            return writer.writeValueAsString(envelope(alert, transition));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + transition + " of alert " + alert.id(), e);
        }
    }

    static AlertEvent event(Alert a, AlertHistoryEntry h) {
        String policy = a.policy().wireName();
        FactRef e = h.event();
        return switch (h.transition()) {
            case RAISED -> new AlertRaisedEvent(a.id(), a.caseId(), policy, a.id(), a.awaited(),
                    a.start().eventId(), a.start().eventType(), a.start().occurredAt(), a.dueAt(), h.by(), a.dueAt(), h.at());
            case ACKNOWLEDGED -> new AlertAcknowledgedEvent(a.id(), a.caseId(), policy, h.reason(), h.by(), h.at(), h.at());
            case ESCALATED -> new AlertEscalatedEvent(a.id(), a.caseId(), policy, a.raisedAt(), h.reason(), h.by(),
                    h.at(), h.at());
            case RESOLVED -> new AlertResolvedEvent(a.id(), a.caseId(), policy, e == null ? null : e.eventId(),
                    e == null ? null : e.eventType(), h.by(), occurred(e, h.at()), h.at());
            case CANCELLED -> new AlertCancelledEvent(a.id(), a.caseId(), policy, h.reason(),
                    e == null ? null : e.eventId(), e == null ? null : e.eventType(), h.by(), occurred(e, h.at()), h.at());
        };
    }

    private static Instant occurred(FactRef e, Instant fallback) {
        return e == null || e.occurredAt() == null ? fallback : e.occurredAt();
    }
}
