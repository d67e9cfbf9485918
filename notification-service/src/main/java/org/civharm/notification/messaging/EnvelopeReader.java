package org.civharm.notification.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AmendsDeclinedEvent;
import org.civharm.contract.accountability.AmendsOfferedEvent;
import org.civharm.contract.accountability.AmendsPaidEvent;
import org.civharm.contract.accountability.LetterAnsweredEvent;
import org.civharm.contract.accountability.LetterSentEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.upcasting.ContractUpcaster;
import org.civharm.contract.upcasting.UnsupportedContractVersionException;
import org.civharm.notification.api.CaseFact;
import org.civharm.notification.api.FactKind;
import org.civharm.notification.config.ContractJson;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Reads one record of a consumed topic: an {@code EventEnvelope} JSON, read tolerantly (unknown fields ignored, as the
 * contract asks), after the contract's {@link ContractUpcaster} has brought an envelope of an older contract version
 * into the current shape (a version newer than this service reads is unreadable). Three outcomes:
 * <ul>
 *   <li>a {@link CaseFact} for the event types obligations use;</li>
 *   <li>{@link Read.Ignored} for every other type, known or not yet known (e.g. {@code EvidenceAttached});</li>
 *   <li>{@link Read.Unreadable} when the record cannot be trusted: not JSON, no event id or case id, the event
 *       missing or not of its declared type, its case differing from the envelope's, a letter without its id.</li>
 * </ul>
 */
@Component
public class EnvelopeReader {

    private final ObjectMapper json;
    private final int newestVersion;

    public EnvelopeReader(ContractJson contractJson) {
        this(contractJson, EventEnvelope.CURRENT_CONTRACT_VERSION);
    }

    /** @param newestVersion the newest contract version read (the same setting the {@link RecordReader} checks) */
    @Autowired
    public EnvelopeReader(ContractJson contractJson,
                          @Value("${civharm.kafka.supported-contract-version:" + EventEnvelope.CURRENT_CONTRACT_VERSION + "}")
                          int newestVersion) {
        this.json = contractJson.reader();
        this.newestVersion = newestVersion;
    }

    /** The outcome of reading one record. */
    public sealed interface Read {
        record Fact(CaseFact fact) implements Read {
        }

        record Ignored(String eventType) implements Read {
        }

        record Unreadable(String reason) implements Read {
        }
    }

    public Read read(ConsumerRecord<String, String> record) {
        return read(record, null);
    }

    /**
     * @param parsed the record's value as a JSON object when the caller has parsed it already (it may be changed
     *               here), or null to parse it here
     */
    Read read(ConsumerRecord<String, String> record, JsonNode parsed) {
        if (record.value() == null) {
            return new Read.Unreadable("the record has no value");
        }
        JsonNode envelope = parsed;
        if (envelope == null) {
            try {
                envelope = json.readTree(record.value());
            } catch (JsonProcessingException e) {
                return new Read.Unreadable("not JSON: " + firstLine(e.getOriginalMessage()));
            }
        }
        if (envelope == null || !envelope.isObject()) {
            return new Read.Unreadable("not a JSON object");
        }
        try {
            envelope = ContractUpcaster.upcast((ObjectNode) envelope, header(record, EventHeaders.CONTRACT_VERSION),
                    header(record, EventHeaders.EVENT_TYPE), newestVersion);
        } catch (UnsupportedContractVersionException e) {
            return new Read.Unreadable(e.getMessage());
        }
        JsonNode eventNode = envelope.path("event");
        String eventType = text(envelope, "eventType").or(() -> text(eventNode, "type")).orElse(null);
        if (eventType == null) {
            return new Read.Unreadable("no eventType");
        }
        Optional<FactKind> kind = FactKind.ofEventType(eventType);
        if (kind.isEmpty()) {
            return new Read.Ignored(eventType);
        }
        String eventId = text(envelope, "eventId").orElseGet(() -> header(record, EventHeaders.EVENT_ID));
        if (eventId == null) {
            return new Read.Unreadable("no eventId in the envelope or the " + EventHeaders.EVENT_ID + " header");
        }
        String caseId = text(envelope, "caseId").orElse(null);
        if (caseId == null) {
            return new Read.Unreadable("no caseId");
        }
        if (!eventNode.isObject()) {
            return new Read.Unreadable("no event object");
        }
        Class<?> base = record.topic().equals(Topics.ACCOUNTABILITY_EVENTS) ? AccountabilityEvent.class : IncidentEvent.class;
        Object event;
        try {
            event = json.treeToValue(eventNode, base);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new Read.Unreadable("event cannot be read as " + eventType + ": " + firstLine(e.getMessage()));
        }
        if (event == null) {
            return new Read.Unreadable("event of type " + text(eventNode, "type").orElse("?") + " is not a "
                    + base.getSimpleName() + " (topic " + record.topic() + ")");
        }
        String eventCase = event instanceof IncidentEvent i ? i.caseId() : ((AccountabilityEvent) event).caseId();
        Instant occurredAt = event instanceof IncidentEvent i ? i.occurredAt() : ((AccountabilityEvent) event).occurredAt();
        String actualType = event instanceof IncidentEvent i ? IncidentEvent.typeName(i.getClass())
                : AccountabilityEvent.typeName(((AccountabilityEvent) event).getClass());
        if (!actualType.equals(eventType)) {
            return new Read.Unreadable("eventType " + eventType + " but the event is " + actualType);
        }
        if (eventCase != null && !eventCase.equals(caseId)) {
            return new Read.Unreadable("envelope caseId " + caseId + " but event caseId " + eventCase);
        }
        if (occurredAt == null) {
            return new Read.Unreadable("event has no occurredAt");
        }
        String subjectId = null;
        LocalDate responseDueOn = null;
        if (event instanceof LetterSentEvent e) {
            subjectId = e.letterId();
            responseDueOn = e.responseDueOn();
        } else if (event instanceof LetterAnsweredEvent e) {
            subjectId = e.letterId();
        } else if (event instanceof AmendsOfferedEvent e) {
            subjectId = e.amendsId();
        } else if (event instanceof AmendsPaidEvent e) {
            subjectId = e.amendsId();
        } else if (event instanceof AmendsDeclinedEvent e) {
            subjectId = e.amendsId();
        }
        if ((event instanceof LetterSentEvent || event instanceof LetterAnsweredEvent) && isBlank(subjectId)) {
            return new Read.Unreadable(eventType + " without letterId");
        }
        if ((event instanceof AmendsOfferedEvent || event instanceof AmendsPaidEvent || event instanceof AmendsDeclinedEvent)
                && isBlank(subjectId)) {
            return new Read.Unreadable(eventType + " without amendsId");
        }
        String producer = text(envelope, "producedBy").orElse(base == IncidentEvent.class
                ? "incident-service" : "accountability-service");
        long sequence = envelope.path("sequence").canConvertToLong() ? envelope.path("sequence").asLong() : record.offset();
        return new Read.Fact(new CaseFact(eventId, caseId, producer, sequence, kind.get(), occurredAt, subjectId,
                responseDueOn));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText().strip()) : Optional.empty();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        if (h == null || h.value() == null) {
            return null;
        }
        String value = new String(h.value(), StandardCharsets.UTF_8).strip();
        return value.isEmpty() ? null : value;
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
}
