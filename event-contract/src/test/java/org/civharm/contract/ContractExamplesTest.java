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
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
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
 * The JSON examples under {@code examples/incident/} are the documentation consumers read: each is a full
 * {@link EventEnvelope} exactly as incident-service publishes it. These tests keep them true to the records: a typo,
 * a missing example or a drifting type name fails here, not in a consumer.
 */
class ContractExamplesTest {

    private static final String EXAMPLES = "examples/incident/";
    private static final TypeReference<EventEnvelope<IncidentEvent>> INCIDENT_ENVELOPE = new TypeReference<>() {
    };

    /**
     * Strict, to catch typos in the examples; writes like the publisher (Spring Boot's mapper with ISO dates and
     * {@code default-property-inclusion: non_null}).
     */
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
        JsonSubTypes annotation = IncidentEvent.class.getAnnotation(JsonSubTypes.class);
        assertThat(annotation).as("@JsonSubTypes on IncidentEvent").isNotNull();
        return Arrays.stream(annotation.value());
    }

    static Stream<String> eventTypes() {
        return subtypes().map(JsonSubTypes.Type::name);
    }

    private static Class<?> classOf(String eventType) {
        return subtypes().filter(t -> t.name().equals(eventType)).findFirst().orElseThrow().value();
    }

    private static String read(String eventType) throws IOException {
        try (InputStream in = ContractExamplesTest.class.getClassLoader()
                .getResourceAsStream(EXAMPLES + eventType + ".json")) {
            assertThat(in).as("example %s%s.json", EXAMPLES, eventType).isNotNull();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void every_subtype_of_IncidentEvent_has_an_example() {
        assertThat(eventTypes()).isNotEmpty().allSatisfy(type ->
                assertThat(ContractExamplesTest.class.getClassLoader().getResource(EXAMPLES + type + ".json"))
                        .as("example for %s", type).isNotNull());
    }

    @Test
    void every_example_file_is_a_known_event_type() throws URISyntaxException, IOException {
        URL dir = ContractExamplesTest.class.getClassLoader().getResource(EXAMPLES);
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
        Set<Class<?>> permitted = Set.of(IncidentEvent.class.getPermittedSubclasses());
        Set<Class<?>> declared = subtypes().map(JsonSubTypes.Type::value).collect(Collectors.toSet());
        assertThat(declared).as("@JsonSubTypes vs sealed permits").isEqualTo(permitted);
        subtypes().forEach(t -> assertThat(IncidentEvent.typeName(t.value().asSubclass(IncidentEvent.class)))
                .as("wire name of %s", t.value().getSimpleName()).isEqualTo(t.name()));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void example_reads_strictly_as_its_event_type(String eventType) throws IOException {
        EventEnvelope<IncidentEvent> envelope = STRICT.readValue(read(eventType), INCIDENT_ENVELOPE);
        IncidentEvent event = envelope.event();

        assertThat(event).isNotNull();
        assertThat(envelope.eventType()).isEqualTo(eventType);
        assertThat(event.getClass()).isEqualTo(classOf(eventType));
        assertThat(IncidentEvent.typeName(event.getClass())).isEqualTo(envelope.eventType());
        assertThat(envelope.caseId()).isNotBlank().isEqualTo(event.caseId());
        assertThat(envelope.contractVersion()).isEqualTo(EventEnvelope.CURRENT_CONTRACT_VERSION);
        assertThat(envelope.producedBy()).isEqualTo("incident-service");
        assertThat(UUID.fromString(envelope.eventId())).hasToString(envelope.eventId());
        assertThat(envelope.sequence()).isNotNegative();
        assertThat(envelope.recordedAt()).isNotNull();
        assertThat(event.actor()).isNotBlank();
        assertThat(event.occurredAt()).isNotNull();
        assertThat(event.recordedAt()).isNotNull().isAfterOrEqualTo(event.occurredAt());
    }

    /**
     * {@link EventEnvelope} ignores unknown properties (tolerant by annotation), so the strict mapper cannot catch a
     * misspelt envelope field: compare the names with the record's components instead.
     */
    @ParameterizedTest
    @MethodSource("eventTypes")
    void envelope_fields_are_exactly_the_record_components(String eventType) throws IOException {
        JsonNode tree = STRICT.readTree(read(eventType));
        Set<String> components = Arrays.stream(EventEnvelope.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).collect(Collectors.toSet());
        assertThat(fieldNames(tree)).isEqualTo(components);
        assertThat(tree.path("event").path("type").asText()).isEqualTo(eventType);
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void round_trip_gives_an_equal_record_and_the_published_json(String eventType) throws IOException {
        String json = read(eventType);
        EventEnvelope<IncidentEvent> envelope = STRICT.readValue(json, INCIDENT_ENVELOPE);

        String written = STRICT.writerFor(INCIDENT_ENVELOPE).writeValueAsString(envelope);
        EventEnvelope<IncidentEvent> reread = STRICT.readValue(written, INCIDENT_ENVELOPE);

        assertThat(reread).isEqualTo(envelope);
        assertThat(reread.event()).isEqualTo(envelope.event());
        // the example is byte-for-byte what the publisher writes, up to whitespace and key order
        assertThat(STRICT.readTree(written)).isEqualTo(STRICT.readTree(json));
    }

    @Test
    void a_strict_reader_refuses_an_unknown_field_inside_the_event() throws IOException {
        ObjectNode body = (ObjectNode) STRICT.readTree(read("AllegationDismissed"));
        ((ObjectNode) body.get("event")).put("appealDeadline", "2018-03-01");

        assertThatThrownBy(() -> STRICT.readValue(STRICT.writeValueAsString(body), INCIDENT_ENVELOPE))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("appealDeadline");
    }

    @Test
    void a_tolerant_reader_accepts_fields_added_to_the_envelope_and_to_the_event() throws IOException {
        String original = read("AllegationDismissed");
        EventEnvelope<IncidentEvent> expected = STRICT.readValue(original, INCIDENT_ENVELOPE);

        ObjectNode body = (ObjectNode) TOLERANT.readTree(original);
        body.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        body.putObject("producerInfo").put("version", "2.3.0");
        ObjectNode event = (ObjectNode) body.get("event");
        event.put("appealDeadline", "2018-03-01");
        event.putArray("statedReasonTranslations").addObject().put("language", "ar").put("text", "غير موثوق");
        event.putObject("statementDetails").put("pages", 14);

        EventEnvelope<IncidentEvent> read = TOLERANT.readValue(TOLERANT.writeValueAsString(body), INCIDENT_ENVELOPE);

        assertThat(read).isEqualTo(expected);
        assertThat(read.event()).isInstanceOf(AllegationDismissedEvent.class);
        assertThat(((AllegationDismissedEvent) read.event()).statedReason())
                .isEqualTo(((AllegationDismissedEvent) expected.event()).statedReason());
    }

    @Test
    void a_consumer_can_skip_an_event_type_it_does_not_know_yet() throws IOException {
        ObjectNode body = (ObjectNode) TOLERANT.readTree(read("AllegationDismissed"));
        body.put("eventType", "AllegationEscalated");
        ((ObjectNode) body.get("event")).put("type", "AllegationEscalated");
        String json = TOLERANT.writeValueAsString(body);

        ObjectMapper skipping = TOLERANT.copy().disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE);
        EventEnvelope<IncidentEvent> read = skipping.readValue(json, INCIDENT_ENVELOPE);

        assertThat(read.eventType()).isEqualTo("AllegationEscalated");
        assertThat(read.caseId()).isEqualTo("RAQQA-2017-0628");
        assertThat(read.event()).isNull();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
