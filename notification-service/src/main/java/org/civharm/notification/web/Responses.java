package org.civharm.notification.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.civharm.notification.domain.Alert;
import org.civharm.notification.domain.AlertHistoryEntry;
import org.civharm.notification.domain.AlertState;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;
import org.civharm.notification.domain.DeliveryState;
import org.civharm.notification.domain.FactRef;
import org.civharm.notification.domain.Obligation;
import org.civharm.notification.domain.ObligationState;
import org.civharm.notification.domain.PolicyKind;
import org.civharm.notification.domain.PolicySet;
import org.civharm.notification.domain.PolicySettings;
import org.civharm.notification.store.Page;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Response bodies of the REST API. */
public final class Responses {

    private Responses() {
    }

    /** One page of a list. */
    public record PageResponse<T>(List<T> items, int page, int size, long total) {
        static <S, T> PageResponse<T> of(Page<S> page, Function<S, T> map) {
            return new PageResponse<>(page.items().stream().map(map).toList(), page.page(), page.size(), page.total());
        }
    }

    /** An event of another service: its id, type and when it happened. */
    public record EventRef(String eventId, String eventType, Instant occurredAt) {
        static EventRef of(FactRef ref) {
            return ref == null ? null : new EventRef(ref.eventId(), ref.eventType(), ref.occurredAt());
        }
    }

    public record Acknowledgement(String by, Instant at, String comment) {
    }

    public record HistoryEntry(int sequence, AlertTransition transition, AlertState from, AlertState to, Instant at,
                               String by, String reason, EventRef event) {
        static HistoryEntry of(AlertHistoryEntry h) {
            return new HistoryEntry(h.sequence(), h.transition(), h.from(), h.to(), h.at(), h.by(), h.reason(),
                    EventRef.of(h.event()));
        }
    }

    /**
     * An alert.
     *
     * @param escalationDueAt when it will be escalated if still nobody acknowledges it (OPEN alerts only)
     */
    public record AlertResponse(String id, String caseId, String policy, String obligationId, String awaited,
                                AlertState state, EventRef startedBy, Instant dueAt, Instant raisedAt,
                                Instant escalationDueAt, Acknowledgement acknowledgement, Instant escalatedAt,
                                EventRef closedBy, Instant closedAt, String closeReason, List<HistoryEntry> history) {
        static AlertResponse of(Alert a, Duration escalateAfter) {
            return new AlertResponse(a.id(), a.caseId(), a.policy().wireName(), a.id(), a.awaited(), a.state(),
                    EventRef.of(a.start()), a.dueAt(), a.raisedAt(),
                    a.state() == AlertState.OPEN ? a.escalationDueAt(escalateAfter) : null,
                    a.acknowledgedBy() == null ? null
                            : new Acknowledgement(a.acknowledgedBy(), a.acknowledgedAt(), a.acknowledgementComment()),
                    a.escalatedAt(), EventRef.of(a.closedBy()), a.closedAt(), a.closeReason(),
                    a.history().stream().map(HistoryEntry::of).toList());
        }
    }

    /**
     * An obligation.
     *
     * @param alertId the id of its alert, once raised
     */
    public record ObligationResponse(String id, String caseId, String policy, String subjectId, String awaited,
                                     ObligationState state, EventRef startedBy, Instant dueAt, Instant overdueAt,
                                     EventRef closedBy, Instant closedAt, String reason, String alertId,
                                     Instant createdAt) {
        static ObligationResponse of(Obligation o) {
            return new ObligationResponse(o.id(), o.caseId(), o.policy().wireName(), o.subjectId(), o.awaited(),
                    o.state(), EventRef.of(o.start()), o.dueAt(), o.overdueAt(), EventRef.of(o.closedBy()),
                    o.closedAt(), o.reason(), o.alertRaised() ? o.id() : null, o.createdAt());
        }
    }

    /** A delivery of the outbox, with the JSON it sends. */
    public record DeliveryResponse(String id, String alertId, String caseId, AlertTransition transition,
                                   String eventType, String channel, String eventId, DeliveryState state, int attempts,
                                   Instant createdAt, Instant nextAttemptAt, Instant lastAttemptAt, String lastError,
                                   Instant sentAt, JsonNode payload) {
        static DeliveryResponse of(Delivery d, ObjectMapper json) {
            JsonNode payload;
            try {
                payload = json.readTree(d.payload());
            } catch (Exception e) {
                payload = json.getNodeFactory().textNode(d.payload());
            }
            return new DeliveryResponse(d.id(), d.alertId(), d.caseId(), d.transition(), d.transition().eventType(),
                    d.channel(), d.eventId(), d.state(), d.attempts(), d.createdAt(), d.nextAttemptAt(),
                    d.lastAttemptAt(), d.lastError(), d.sentAt(), payload);
        }
    }

    /** How a policy works (read-only). */
    public record PolicyDefinition(String unit, int defaultValue, int min, int max, List<String> startedBy,
                                   List<String> metBy, String description) {
        static PolicyDefinition of(PolicyKind k) {
            return new PolicyDefinition(k.unit().field(), k.defaultValue(), k.unit().min(), k.unit().max(),
                    k.startedBy(), k.metBy(), k.description());
        }
    }

    /**
     * The policies in force. {@code policies} is exactly what {@code PUT /policies} accepts (it can be sent back
     * edited); {@code definitions} explains each one.
     */
    public record PoliciesResponse(long version, Instant updatedAt, String updatedBy,
                                   Map<String, PolicySettings> policies, Map<String, PolicyDefinition> definitions,
                                   Reevaluation reevaluation) {
        static PoliciesResponse of(PolicySet set, Reevaluation reevaluation) {
            Map<String, PolicySettings> policies = new LinkedHashMap<>();
            Map<String, PolicyDefinition> definitions = new LinkedHashMap<>();
            for (PolicyKind k : PolicyKind.values()) {
                policies.put(k.wireName(), PolicySettings.of(set.get(k)));
                definitions.put(k.wireName(), PolicyDefinition.of(k));
            }
            return new PoliciesResponse(set.version(), set.updatedAt(), set.updatedBy(), policies, definitions,
                    reevaluation);
        }
    }

    /** What a policy change re-evaluated: cases, obligations created and obligations changed. */
    public record Reevaluation(int cases, int obligationsCreated, int obligationsChanged) {
    }
}
