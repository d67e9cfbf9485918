package org.civharm.contract;

/** Kafka record header names that every published event carries (values are UTF-8 strings). */
public final class EventHeaders {

    /** Stable id of the event; consumers deduplicate on it. */
    public static final String EVENT_ID = "civharm-event-id";
    /** The event's type name, e.g. {@code AllegationFiled}; lets a consumer skip a type without parsing the body. */
    public static final String EVENT_TYPE = "civharm-event-type";
    /** Contract version of the body, see {@link EventEnvelope#CURRENT_CONTRACT_VERSION}. */
    public static final String CONTRACT_VERSION = "civharm-contract-version";

    private EventHeaders() {
    }
}
