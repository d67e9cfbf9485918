package org.civharm.contract;

/**
 * Kafka topic names, declared once for every service. Each topic is keyed by case id, so all events of one case land
 * on one partition and keep their order.
 */
public final class Topics {

    /** Intake and assessment events published by incident-service. */
    public static final String INCIDENT_EVENTS = "civharm.incident.events.v1";

    /** Investigation, attribution, amends and correspondence events published by accountability-service. */
    public static final String ACCOUNTABILITY_EVENTS = "civharm.accountability.events.v1";

    /** Alert lifecycle events published by notification-service for other systems. */
    public static final String ALERT_EVENTS = "civharm.notification.alerts.v1";

    /** Partition count the services create topics with when they are allowed to create them (local runs, tests). */
    public static final int DEFAULT_PARTITIONS = 6;

    private Topics() {
    }
}
