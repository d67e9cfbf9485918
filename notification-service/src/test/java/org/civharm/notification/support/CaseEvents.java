package org.civharm.notification.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AccountabilityRecordClosedEvent;
import org.civharm.contract.accountability.InvestigationOpenedEvent;
import org.civharm.contract.accountability.InvestigatingBody;
import org.civharm.contract.accountability.InvestigationScope;
import org.civharm.contract.accountability.LetterAnsweredEvent;
import org.civharm.contract.accountability.LetterKind;
import org.civharm.contract.accountability.LetterSentEvent;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.DatePrecision;
import org.civharm.contract.incident.HarmCount;
import org.civharm.contract.incident.IncidentDate;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.incident.Involvement;
import org.civharm.contract.incident.Place;
import org.civharm.contract.incident.PlaceName;
import org.civharm.contract.incident.Range;
import org.civharm.contract.incident.Source;
import org.civharm.contract.incident.SourceType;
import org.civharm.contract.incident.Statement;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Publishes events as incident-service and accountability-service do: an {@code EventEnvelope} JSON keyed by case
 * id with the {@code civharm-event-id} header, through a plain Kafka producer. Keeps a sequence per case and producer.
 */
public final class CaseEvents implements AutoCloseable {

    public static final String ACTOR = "caseworker.test";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final KafkaProducer<String, String> producer;
    private final Map<String, Long> sequences = new java.util.concurrent.ConcurrentHashMap<>();

    public CaseEvents() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** The published record: the event id consumers deduplicate on. */
    public record Published(String eventId, String caseId, String eventType) {
    }

    public Published filed(String caseId, Instant occurredAt) {
        return incident(filedEvent(caseId, occurredAt));
    }

    /** A filing in an envelope that claims another contract version (e.g. one newer than the consumer supports). */
    public Published filedWithContractVersion(String caseId, Instant occurredAt, int contractVersion) {
        return publish(Topics.INCIDENT_EVENTS, "incident-service", caseId, "AllegationFiled",
                filedEvent(caseId, occurredAt), new TypeReference<EventEnvelope<IncidentEvent>>() {
                }, contractVersion);
    }

    private static IncidentEvent filedEvent(String caseId, Instant occurredAt) {
        LocalDate day = occurredAt.atZone(ZoneOffset.UTC).toLocalDate();
        return (new AllegationFiledEvent(caseId, new Source("Airwars", SourceType.NGO, "monthly report", null),
                "Civilians reported killed", null, day, new IncidentDate(day.minusDays(2), day.minusDays(2), DatePrecision.DAY, null),
                new Place(List.of(new PlaceName("en", "Raqqa"), new PlaceName("ar", "الرقة")), List.of()), "Raqqa 2017",
                new CasualtyFigures(new HarmCount(Range.of(2, 4), null, null, null), new HarmCount(Range.none(), null, null, null)),
                List.of(new Belligerent("US-led Coalition", Involvement.SUSPECTED)), null, null,
                "Two civilians reported killed in a strike on a house.", List.of(), ACTOR, occurredAt, Instant.now()));
    }

    public Published acknowledged(String caseId, Instant occurredAt) {
        LocalDate day = occurredAt.atZone(ZoneOffset.UTC).toLocalDate();
        return incident(new AllegationAcknowledgedEvent(caseId, "US-led Coalition", Range.exactly(2), Range.none(),
                new Statement("CJTF-OIR Monthly Civilian Casualty Report", null, day), false, null, ACTOR, occurredAt,
                Instant.now()));
    }

    public Published dismissed(String caseId, Instant occurredAt) {
        return incident(new AllegationDismissedEvent(caseId, "US-led Coalition", "insufficient information to assess",
                null, ACTOR, occurredAt, Instant.now()));
    }

    public Published letterSent(String caseId, String letterId, LocalDate responseDueOn, Instant occurredAt) {
        return accountability(new LetterSentEvent(caseId, letterId, LetterKind.LETTER, "Amnesty International",
                "US Secretary of Defense", occurredAt.atZone(ZoneOffset.UTC).toLocalDate(),
                "Which member state struck, and why?", responseDueOn, ACTOR, occurredAt, Instant.now()));
    }

    public Published letterAnswered(String caseId, String letterId, Instant occurredAt) {
        return accountability(new LetterAnsweredEvent(caseId, letterId, occurredAt.atZone(ZoneOffset.UTC).toLocalDate(),
                "declined to name the member state", ACTOR, occurredAt, Instant.now()));
    }

    public Published investigationOpened(String caseId, Instant occurredAt) {
        return accountability(new InvestigationOpenedEvent(caseId, "INV-1", InvestigatingBody.MILITARY_COMMAND,
                "CJTF-OIR Civilian Casualty Assessment Cell", List.of(InvestigationScope.STRIKE_LOG_REVIEW), ACTOR,
                occurredAt, Instant.now()));
    }

    public Published recordClosed(String caseId, Instant occurredAt) {
        return accountability(new AccountabilityRecordClosedEvent(caseId, "no further steps possible", ACTOR,
                occurredAt, Instant.now()));
    }

    /** Publishes a record value as it is, e.g. something that is not an envelope at all. */
    public void raw(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Published incident(IncidentEvent event) {
        String type = IncidentEvent.typeName(event.getClass());
        return publish(Topics.INCIDENT_EVENTS, "incident-service", event.caseId(), type, event,
                new TypeReference<EventEnvelope<IncidentEvent>>() {
                });
    }

    public Published accountability(AccountabilityEvent event) {
        String type = AccountabilityEvent.typeName(event.getClass());
        return publish(Topics.ACCOUNTABILITY_EVENTS, "accountability-service", event.caseId(), type, event,
                new TypeReference<EventEnvelope<AccountabilityEvent>>() {
                });
    }

    private <E> Published publish(String topic, String producedBy, String caseId, String type, E event,
                                  TypeReference<EventEnvelope<E>> envelopeType) {
        return publish(topic, producedBy, caseId, type, event, envelopeType, EventEnvelope.CURRENT_CONTRACT_VERSION);
    }

    private <E> Published publish(String topic, String producedBy, String caseId, String type, E event,
                                  TypeReference<EventEnvelope<E>> envelopeType, int contractVersion) {
        String eventId = UUID.randomUUID().toString();
        long sequence = sequences.merge(producedBy + "/" + caseId, 1L, Long::sum) - 1;
        EventEnvelope<E> envelope = new EventEnvelope<>(eventId, type, contractVersion, caseId,
                sequence, producedBy, Instant.now(), event);
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, caseId,
                    JSON.writerFor(envelopeType).writeValueAsString(envelope));
            record.headers().add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
            record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + type + " of " + caseId, e);
        }
        return new Published(eventId, caseId, type);
    }

    @Override
    public void close() {
        producer.close();
    }
}
