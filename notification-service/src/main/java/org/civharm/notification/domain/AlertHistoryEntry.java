package org.civharm.notification.domain;

import java.time.Instant;

/**
 * One state change of an alert: who made it, when and why.
 *
 * @param sequence   position in the alert's history, from 0 (the raise)
 * @param from       the state before; null for the raise
 * @param to         the state after
 * @param at         when (by the service's clock)
 * @param by         the caseworker, or {@link Alert#SYSTEM}
 * @param reason     why: the caseworker's comment, or what the service saw
 * @param event      the event of another service that caused it (resolution, cancellation); null otherwise
 */
public record AlertHistoryEntry(
        int sequence,
        AlertTransition transition,
        AlertState from,
        AlertState to,
        Instant at,
        String by,
        String reason,
        FactRef event) {
}
