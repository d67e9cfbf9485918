package org.civharm.notification.domain;

/** The transitions of an alert; each is notified once per channel, and named in the contract's alert events. */
public enum AlertTransition {
    RAISED("AlertRaised"),
    ACKNOWLEDGED("AlertAcknowledged"),
    ESCALATED("AlertEscalated"),
    RESOLVED("AlertResolved"),
    CANCELLED("AlertCancelled");

    private final String eventType;

    AlertTransition(String eventType) {
        this.eventType = eventType;
    }

    /** The alert event's type name, e.g. {@code AlertRaised}. */
    public String eventType() {
        return eventType;
    }
}
