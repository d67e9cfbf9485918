package org.civharm.accountability.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.upcasting.ContractUpcaster;
import org.civharm.contract.upcasting.UnsupportedContractVersionException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Reads the {@link EventEnvelope} JSON of the civharm topics this service consumes, the way the contract asks a
 * consumer to: tolerant of properties added by later contract versions, strict about what it relies on (an event of
 * a known type, ids, the case id matching the record key and the event). The event JSON kept for the case file is cut
 * from the record text, so it is exactly what was published (amounts keep their digits, no key is lost).
 * <p>
 * Schema evolution: a record of an older contract version is first brought into the current shape by the contract's
 * {@link ContractUpcaster} (its event JSON is then the upcast one; such records predate the hash chain). A record of
 * a newer version than this service reads ({@code civharm.kafka.supported-contract-version}, default the contract it
 * was built with) is unreadable: read tolerantly it could lose what the newer version means. It is parked (see
 * {@link DeadLetters}) until an upgraded service retries it.
 */
@Component
public class EnvelopeReader {

    /** Fields that say why a step was taken, in the order they are looked for. */
    private static final List<String> WHY_FIELDS = List.of("reason", "statedReason", "why", "basis", "comment",
            "summary", "asked", "description");

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final JavaType incidentEnvelope =
            mapper.getTypeFactory().constructParametricType(EventEnvelope.class, IncidentEvent.class);
    private final JavaType accountabilityEnvelope =
            mapper.getTypeFactory().constructParametricType(EventEnvelope.class, AccountabilityEvent.class);
    private volatile int newestContractVersion;

    /** A reader of the contract version it was built with. */
    public EnvelopeReader() {
        this(EventEnvelope.CURRENT_CONTRACT_VERSION);
    }

    @Autowired
    public EnvelopeReader(@Value("${civharm.kafka.supported-contract-version:" + EventEnvelope.CURRENT_CONTRACT_VERSION
            + "}") int newestContractVersion) {
        this.newestContractVersion = newestContractVersion;
    }

    /**
     * Reads records up to this contract version from now on: what a deployed upgrade does, without a restart (tests
     * use it to stand for one). Records parked meanwhile are read again by a dead-letter retry.
     */
    public void readContractVersionsUpTo(int version) {
        this.newestContractVersion = version;
    }

    public int newestContractVersion() {
        return newestContractVersion;
    }

    /** Reads a consumed record, with its contract-version and event-type headers. */
    public ReadEvent read(ConsumerRecord<String, String> record) {
        return read(record.topic(), record.key(), record.value(), header(record, EventHeaders.CONTRACT_VERSION),
                header(record, EventHeaders.EVENT_TYPE));
    }

    /** Reads a record that carries no contract headers (its version is the envelope's). */
    public ReadEvent read(String topic, String key, String value) {
        return read(topic, key, value, null, null);
    }

    /**
     * @param topic the topic the record came from; decides which event family the body must hold
     * @param key   the record key (the case id)
     * @param value the record value
     * @param versionHeader the {@link EventHeaders#CONTRACT_VERSION} header, or null
     * @param typeHeader    the {@link EventHeaders#EVENT_TYPE} header, or null
     * @throws UnreadableRecordException if the record cannot be read as a civharm event of that topic
     */
    public ReadEvent read(String topic, String key, String value, String versionHeader, String typeHeader) {
        if (value == null || value.isBlank()) {
            throw new UnreadableRecordException("empty record value");
        }
        try {
            value = ContractUpcaster.upcast(value, versionHeader, typeHeader, newestContractVersion);
        } catch (UnsupportedContractVersionException e) {
            throw new UnreadableRecordException(e.getMessage());
        }
        JavaType type;
        if (Topics.INCIDENT_EVENTS.equals(topic)) {
            type = incidentEnvelope;
        } else if (Topics.ACCOUNTABILITY_EVENTS.equals(topic)) {
            type = accountabilityEnvelope;
        } else {
            throw new UnreadableRecordException("no reader for topic " + topic);
        }
        EventEnvelope<?> envelope;
        String eventJson;
        try {
            // The event's JSON is kept exactly as published (same characters and numbers, e.g. 2500.00), so the
            // case file and exports carry what the producer hashed (see rawEvent).
            envelope = mapper.readValue(value, type);
            eventJson = rawEvent(value);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UnreadableRecordException("not a readable event envelope: " + firstLine(e.getMessage()));
        }
        if (envelope == null || envelope.event() == null) {
            throw new UnreadableRecordException("the envelope carries no event");
        }
        if (isBlank(envelope.eventId()) || isBlank(envelope.caseId())) {
            throw new UnreadableRecordException("the envelope has no eventId or no caseId");
        }
        if (envelope.sequence() < 0) {
            throw new UnreadableRecordException("the envelope has a negative sequence " + envelope.sequence());
        }
        Facts event = Facts.of(envelope.event());
        String typeName = event.typeName();
        if (!envelope.caseId().equals(event.caseId())) {
            throw new UnreadableRecordException("envelope caseId " + envelope.caseId() + " differs from the event's "
                    + event.caseId());
        }
        if (key != null && !key.equals(envelope.caseId())) {
            throw new UnreadableRecordException("record key " + key + " differs from the envelope caseId " + envelope.caseId());
        }
        if (envelope.eventType() != null && !envelope.eventType().equals(typeName)) {
            throw new UnreadableRecordException("envelope eventType " + envelope.eventType() + " differs from the event's type "
                    + typeName);
        }
        JsonNode eventNode;
        try {
            eventNode = mapper.readTree(eventJson);
        } catch (JsonProcessingException e) {
            throw new UnreadableRecordException("not a readable event: " + firstLine(e.getMessage()));
        }
        return new ReadEvent(envelope, typeName, event.actor(), event.occurredAt(),
                event.recordedAt() != null ? event.recordedAt() : envelope.recordedAt(), why(eventNode), eventJson);
    }

    /** What every event of either family says about itself. */
    private record Facts(String caseId, String typeName, String actor, Instant occurredAt, Instant recordedAt) {
        static Facts of(Object event) {
            if (event instanceof IncidentEvent e) {
                return new Facts(e.caseId(), IncidentEvent.typeName(e.getClass()), e.actor(), e.occurredAt(),
                        e.recordedAt());
            }
            AccountabilityEvent e = (AccountabilityEvent) event;
            return new Facts(e.caseId(), AccountabilityEvent.typeName(e.getClass()), e.actor(), e.occurredAt(),
                    e.recordedAt());
        }
    }

    /**
     * The {@code event} object of the envelope exactly as published (same characters, same numbers), cut from the
     * record text.
     */
    private String rawEvent(String value) throws JsonProcessingException {
        try (JsonParser parser = mapper.getFactory().createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableRecordException("the record value is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("event".equals(name) && token == JsonToken.START_OBJECT) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
                    return value.substring(start, end);
                }
                parser.skipChildren();
            }
            throw new UnreadableRecordException("the envelope carries no event object");
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UnreadableRecordException("not readable: " + e.getMessage());
        }
    }

    private static String why(JsonNode event) {
        for (String field : WHY_FIELDS) {
            JsonNode value = event.get(field);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }

    /**
     * One event read from a topic.
     *
     * @param envelope   the envelope with its typed event
     * @param type       the event's type name
     * @param why        the event's own reason field (reason, stated reason, basis, comment ...), if it has one
     * @param eventJson  the event exactly as published (numbers unchanged), for the case file
     */
    public record ReadEvent(EventEnvelope<?> envelope, String type, String actor, Instant occurredAt,
                            Instant recordedAt, String why, String eventJson) {

        public Object event() {
            return envelope.event();
        }
    }

    /** The record cannot be read as a civharm event: it is parked, never retried. */
    public static class UnreadableRecordException extends RuntimeException {
        public UnreadableRecordException(String message) {
            super(message);
        }
    }
}
