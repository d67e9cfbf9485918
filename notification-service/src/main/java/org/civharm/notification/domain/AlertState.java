package org.civharm.notification.domain;

/**
 * State of an alert:
 * <pre>
 *   OPEN ──acknowledge──▶ ACKNOWLEDGED
 *   OPEN ──not acknowledged within the escalation delay──▶ ESCALATED ──acknowledge──▶ ACKNOWLEDGED
 *   OPEN | ACKNOWLEDGED | ESCALATED ──awaited event arrives──▶ RESOLVED
 *   OPEN | ACKNOWLEDGED | ESCALATED ──case closed / moot / policy disabled──▶ CANCELLED
 * </pre>
 * RESOLVED and CANCELLED are final. An acknowledged alert is never escalated: someone owns it.
 */
public enum AlertState {
    OPEN, ACKNOWLEDGED, ESCALATED, RESOLVED, CANCELLED;

    /** Not resolved or cancelled: still needs someone to act. */
    public boolean isActive() {
        return this != RESOLVED && this != CANCELLED;
    }
}
