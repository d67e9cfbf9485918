package org.civharm.accountability.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.integrity.EventHashes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One case's stream on the incident topic as incident-service publishes it since the hash chain: each envelope with
 * its event's {@code hash} (computed with {@link EventHashes} over the event JSON as published, read by a plain
 * parser) and {@code previousHash}. Several streams go out through one producer.
 */
public final class IncidentStream {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final ObjectWriter WRITER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .writerFor(new TypeReference<EventEnvelope<IncidentEvent>>() {
            });

    private final String caseId;
    private final List<Published> events = new ArrayList<>();
    private String previous = EventHashes.GENESIS;

    /** An event as it goes out: its id, chain hash and envelope JSON. */
    public record Published(String eventId, long sequence, String type, String hash, String previousHash,
                            String envelope, IncidentEvent event) {
    }

    public IncidentStream(String caseId) {
        this.caseId = caseId;
    }

    public String caseId() {
        return caseId;
    }

    /** Appends the next event of the stream (sequence = events so far) with its chain fields. */
    public IncidentStream then(IncidentEvent event) {
        long sequence = events.size();
        String eventId = UUID.randomUUID().toString();
        String type = IncidentEvent.typeName(event.getClass());
        try {
            String unchained = WRITER.writeValueAsString(new EventEnvelope<>(eventId, type,
                    EventEnvelope.CURRENT_CONTRACT_VERSION, caseId, sequence, "incident-service", event.recordedAt(), event));
            JsonNode eventJson = PLAIN.readTree(unchained).get("event");
            String hash = EventHashes.hash(caseId, sequence, type, previous, eventJson);
            String envelope = WRITER.writeValueAsString(new EventEnvelope<>(eventId, type,
                    EventEnvelope.CURRENT_CONTRACT_VERSION, caseId, sequence, "incident-service", event.recordedAt(),
                    event, hash, previous));
            events.add(new Published(eventId, sequence, type, hash, previous, envelope, event));
            previous = hash;
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Published> events() {
        return List.copyOf(events);
    }

    public Published event(int sequence) {
        return events.get(sequence);
    }

    /** Publishes the given events of the streams, in order, through one producer; waits for every acknowledgement. */
    public static void publish(List<Published> records, String caseIdOf) {
        publish(records.stream().map(p -> new Keyed(caseIdOf, p)).toList());
    }

    /** Publishes every event of the streams, each stream in order, through one producer. */
    public static void publishAll(List<IncidentStream> streams) {
        List<Keyed> all = new ArrayList<>();
        streams.forEach(s -> s.events.forEach(p -> all.add(new Keyed(s.caseId, p))));
        publish(all);
    }

    private record Keyed(String caseId, Published event) {
    }

    private static void publish(List<Keyed> records) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<Future<?>> sent = new ArrayList<>();
            for (Keyed k : records) {
                ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INCIDENT_EVENTS, k.caseId(),
                        k.event().envelope());
                record.headers().add(EventHeaders.EVENT_ID, k.event().eventId().getBytes(StandardCharsets.UTF_8));
                record.headers().add(EventHeaders.EVENT_TYPE, k.event().type().getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(record));
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + Topics.INCIDENT_EVENTS, e);
        }
    }
}
