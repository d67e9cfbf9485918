package org.civharm.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.civharm.contract.alert.AlertEvent;
import org.civharm.contract.alert.AlertRaisedEvent;
import org.civharm.contract.alert.AlertResolvedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JSON examples under {@code examples/alert/} document what notification-service publishes on
 * {@link Topics#ALERT_EVENTS} (and posts to webhooks): each is a full {@link EventEnvelope} of an {@link AlertEvent}.
 * These tests keep them true to the records.
 */
class AlertContractExamplesTest {

    private static final String EXAMPLES = "examples/alert/";
    private static final TypeReference<EventEnvelope<AlertEvent>> ALERT_ENVELOPE = new TypeReference<>() {
    };

    /** Strict, to catch typos; writes like the publisher (ISO dates, nulls left out). */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What a consumer should use: tolerant of fields added by later contract versions. */
    private static final ObjectMapper TOLERANT = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static Stream<JsonSubTypes.Type> subtypes() {
        JsonSubTypes annotation = AlertEvent.class.getAnnotation(JsonSubTypes.class);
        assertThat(annotation).as("@JsonSubTypes on AlertEvent").isNotNull();
        return Arrays.stream(annotation.value());
    }

    static Stream<String> eventTypes() {
        return subtypes().map(JsonSubTypes.Type::name);
    }

    private static Class<?> classOf(String eventType) {
        return subtypes().filter(t -> t.name().equals(eventType)).findFirst().orElseThrow().value();
    }

    private static String read(String eventType) throws IOException {
        try (InputStream in = AlertContractExamplesTest.class.getClassLoader()
                .getResourceAsStream(EXAMPLES + eventType + ".json")) {
            assertThat(in).as("example %s%s.json", EXAMPLES, eventType).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void every_subtype_of_AlertEvent_has_an_example() {
        assertThat(eventTypes()).hasSize(5).allSatisfy(type ->
                assertThat(AlertContractExamplesTest.class.getClassLoader().getResource(EXAMPLES + type + ".json"))
                        .as("example for %s", type).isNotNull());
    }

    @Test
    void every_example_file_is_a_known_event_type() throws URISyntaxException, IOException {
        URL dir = AlertContractExamplesTest.class.getClassLoader().getResource(EXAMPLES);
        assertThat(dir).isNotNull();
        Set<String> files;
        try (Stream<Path> list = Files.list(Paths.get(dir.toURI()))) {
            files = list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(
                eventTypes().map(t -> t + ".json").collect(Collectors.toSet()));
    }

    @Test
    void json_subtypes_name_every_permitted_subclass_by_its_type_name() {
        Set<Class<?>> permitted = Set.of(AlertEvent.class.getPermittedSubclasses());
        Set<Class<?>> declared = subtypes().map(JsonSubTypes.Type::value).collect(Collectors.toSet());
        assertThat(declared).as("@JsonSubTypes vs sealed permits").isEqualTo(permitted);
        subtypes().forEach(t -> assertThat(AlertEvent.typeName(t.value().asSubclass(AlertEvent.class)))
                .as("wire name of %s", t.value().getSimpleName()).isEqualTo(t.name()));
        assertThat(eventTypes()).allSatisfy(name -> assertThat(name).startsWith("Alert"));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void example_reads_strictly_as_its_event_type(String eventType) throws IOException {
        EventEnvelope<AlertEvent> envelope = STRICT.readValue(read(eventType), ALERT_ENVELOPE);
        AlertEvent event = envelope.event();

        assertThat(event).isNotNull();
        assertThat(envelope.eventType()).isEqualTo(eventType);
        assertThat(event.getClass()).isEqualTo(classOf(eventType));
        assertThat(AlertEvent.typeName(event.getClass())).isEqualTo(envelope.eventType());
        assertThat(envelope.caseId()).isNotBlank().isEqualTo(event.caseId());
        assertThat(envelope.contractVersion()).isEqualTo(EventEnvelope.CURRENT_CONTRACT_VERSION);
        assertThat(envelope.producedBy()).isEqualTo("notification-service");
        assertThat(UUID.fromString(envelope.eventId())).hasToString(envelope.eventId());
        assertThat(envelope.sequence()).isNotNegative();
        assertThat(envelope.recordedAt()).isEqualTo(event.recordedAt());
        // the alert id is the obligation id: <caseId>:<policy>:<startingEventId>
        assertThat(event.alertId()).startsWith(event.caseId() + ":" + event.policy() + ":");
        assertThat(event.policy()).matches("[a-z]+(-[a-z]+)*");
        assertThat(event.actor()).isNotBlank();
        assertThat(event.occurredAt()).isNotNull();
        assertThat(event.recordedAt()).isNotNull().isAfterOrEqualTo(event.occurredAt());
    }

    @Test
    void a_raised_alert_says_what_was_awaited_since_when_and_by_when() throws IOException {
        AlertRaisedEvent raised = (AlertRaisedEvent) STRICT.readValue(read("AlertRaised"), ALERT_ENVELOPE).event();
        assertThat(raised.obligationId()).isEqualTo(raised.alertId()).endsWith(":" + raised.startedByEventId());
        assertThat(raised.startedByEventType()).isEqualTo("AllegationFiled");
        assertThat(raised.dueAt()).isAfter(raised.startedAt()).isEqualTo(raised.occurredAt());
        assertThat(raised.awaited()).isNotBlank();

        EventEnvelope<AlertEvent> resolved = STRICT.readValue(read("AlertResolved"), ALERT_ENVELOPE);
        assertThat(resolved.event().alertId()).isEqualTo(raised.alertId());
        assertThat(((AlertResolvedEvent) resolved.event()).resolvedByEventType()).isNotBlank();
    }

    /**
     * Same check as for the incident examples: the envelope ignores unknown fields, so compare names instead. Alert
     * events are derived notifications, not a stored case stream: they carry no hash chain ({@code hash} and
     * {@code previousHash} are null, so left out of the JSON).
     */
    @ParameterizedTest
    @MethodSource("eventTypes")
    void envelope_fields_are_exactly_the_record_components(String eventType) throws IOException {
        JsonNode tree = STRICT.readTree(read(eventType));
        Set<String> components = Arrays.stream(EventEnvelope.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName)
                .filter(name -> !Set.of("hash", "previousHash").contains(name))
                .collect(Collectors.toSet());
        assertThat(fieldNames(tree)).isEqualTo(components);
        assertThat(tree.path("event").path("type").asText()).isEqualTo(eventType);
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void round_trip_gives_an_equal_record_and_the_published_json(String eventType) throws IOException {
        String json = read(eventType);
        EventEnvelope<AlertEvent> envelope = STRICT.readValue(json, ALERT_ENVELOPE);

        String written = STRICT.writerFor(ALERT_ENVELOPE).writeValueAsString(envelope);
        EventEnvelope<AlertEvent> reread = STRICT.readValue(written, ALERT_ENVELOPE);

        assertThat(reread).isEqualTo(envelope);
        assertThat(STRICT.readTree(written)).isEqualTo(STRICT.readTree(json));
    }

    @Test
    void a_strict_reader_refuses_an_unknown_field_inside_the_event() throws IOException {
        ObjectNode body = (ObjectNode) STRICT.readTree(read("AlertAcknowledged"));
        ((ObjectNode) body.get("event")).put("priority", "high");

        assertThatThrownBy(() -> STRICT.readValue(STRICT.writeValueAsString(body), ALERT_ENVELOPE))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("priority");
    }

    @Test
    void a_tolerant_reader_accepts_added_fields_and_skips_unknown_event_types() throws IOException {
        String original = read("AlertEscalated");
        EventEnvelope<AlertEvent> expected = STRICT.readValue(original, ALERT_ENVELOPE);

        ObjectNode body = (ObjectNode) TOLERANT.readTree(original);
        body.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        ((ObjectNode) body.get("event")).put("escalatedTo", "head of research");
        assertThat(TOLERANT.readValue(TOLERANT.writeValueAsString(body), ALERT_ENVELOPE)).isEqualTo(expected);

        body.put("eventType", "AlertSnoozed");
        ((ObjectNode) body.get("event")).put("type", "AlertSnoozed");
        ObjectMapper skipping = TOLERANT.copy().disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE);
        EventEnvelope<AlertEvent> unknown = skipping.readValue(TOLERANT.writeValueAsString(body), ALERT_ENVELOPE);
        assertThat(unknown.eventType()).isEqualTo("AlertSnoozed");
        assertThat(unknown.event()).isNull();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
