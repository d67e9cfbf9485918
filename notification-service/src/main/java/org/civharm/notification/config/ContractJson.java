package org.civharm.notification.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.springframework.stereotype.Component;

/**
 * The mappers for the event contract, kept apart from the strict mapper of the REST API:
 * <ul>
 *   <li>{@link #reader()} is tolerant, as the contract asks of consumers: unknown properties are ignored and an
 *       unknown event type reads as a null event (a later contract version may add types);</li>
 *   <li>{@link #writer()} writes like the other producers: ISO-8601 dates, nulls left out.</li>
 * </ul>
 * Not an {@code ObjectMapper} bean on purpose: that would replace Spring Boot's own mapper.
 */
@Component
public class ContractJson {

    private final ObjectMapper reader = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private final ObjectMapper writer = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    public ObjectMapper reader() {
        return reader;
    }

    public ObjectMapper writer() {
        return writer;
    }
}
