package org.civharm.accountability.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON form accountability events are stored in, and the tree the hash chain is computed over.
 * <p>
 * The event store's serializer writes events with {@link #newMapper()}; {@link #tree(Object)} is that text read back
 * by a plain JSON parser ({@code new ObjectMapper().readTree}) — exactly what the integrity check, the export and the
 * offline verifier ({@code infra/verify-export.sh}) get when they read the stored or exported JSON. This matters for
 * amounts: {@code 2500.00} is stored as written, and every reader of the chain parses it the same way, so the hash
 * computed here is the hash any verifier recomputes. (A tree made directly from the record would keep the
 * {@code BigDecimal} scale and hash differently.)
 */
public final class EventJson {

    private static final ObjectMapper STORED = newMapper();
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private EventJson() {
    }

    /** A new mapper configured like the stored form: ISO-8601 dates, tolerant of unknown properties. */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The event as the JSON tree a plain parser reads from the stored form. */
    public static JsonNode tree(Object event) {
        try {
            return PLAIN.readTree(STORED.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Stored or published event JSON as the tree the chain is computed over. */
    public static JsonNode parse(String json) {
        try {
            return PLAIN.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
