package org.civharm.accountability.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.incident.IncidentEvent;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Plays incident-service on its topic: writes {@link EventEnvelope}s exactly as its publisher does (key = case id,
 * envelope JSON, event-id/type/version headers), with a plain Kafka producer.
 */
public final class IncidentTopic {

    private static final ObjectWriter WRITER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .writerFor(new TypeReference<EventEnvelope<IncidentEvent>>() {
            });

    private IncidentTopic() {
    }

    /** The envelope JSON of one incident event, as incident-service publishes it. */
    public static String envelope(IncidentEvent event, String eventId, long sequence) {
        try {
            return WRITER.writeValueAsString(new EventEnvelope<>(eventId, IncidentEvent.typeName(event.getClass()),
                    EventEnvelope.CURRENT_CONTRACT_VERSION, event.caseId(), sequence, "incident-service",
                    event.recordedAt(), event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes the event with a new event id; returns the id. */
    public static String publish(IncidentEvent event, long sequence) {
        String eventId = UUID.randomUUID().toString();
        send(event.caseId(), envelope(event, eventId, sequence), eventId, IncidentEvent.typeName(event.getClass()));
        return eventId;
    }

    /** Sends one record to the incident topic and waits for the broker's acknowledgement. */
    public static RecordMetadata send(String key, String value, String eventId, String type) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (eventId != null) {
            headers.put(EventHeaders.EVENT_ID, eventId);
        }
        if (type != null) {
            headers.put(EventHeaders.EVENT_TYPE, type);
        }
        return send(key, value, headers);
    }

    /** Sends one record with the given headers to the incident topic and waits for the broker's acknowledgement. */
    public static RecordMetadata send(String key, String value, Map<String, String> headers) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INCIDENT_EVENTS, key, value);
            headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + Topics.INCIDENT_EVENTS, e);
        }
    }
}
