package org.civharm.incident.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON form events are stored in: the event store's serializer and the hash chain both use it, so the hash
 * of an event is computed over exactly the JSON the store holds. Tolerant of unknown properties, so events written
 * by a newer contract version can still be read (upcasters handle changed shapes); dates as ISO-8601 strings.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = newMapper();

    private EventJson() {
    }

    /** A new mapper configured like the stored form (callers may add settings to their copy). */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The event as the JSON tree the store holds. */
    public static JsonNode tree(Object event) {
        return MAPPER.valueToTree(event);
    }
}
