package org.civharm.notification.domain;

import org.civharm.notification.api.CaseFact;

import java.time.Instant;

/**
 * A reference to an event of another service: which one, of what type, and when it happened in the world.
 */
public record FactRef(String eventId, String eventType, Instant occurredAt) {

    public static FactRef of(CaseFact fact) {
        return new FactRef(fact.eventId(), fact.kind().eventType(), fact.occurredAt());
    }
}
