package org.civharm.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AmendsOfferedEvent;
import org.civharm.contract.accountability.AmendsPaidEvent;
import org.civharm.contract.accountability.AmendsType;
import org.civharm.contract.accountability.LetterSentEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JSON examples under {@code examples/accountability/} document what accountability-service publishes on
 * {@link Topics#ACCOUNTABILITY_EVENTS}: each is a full {@link EventEnvelope} of an {@link AccountabilityEvent}, exactly
 * as the publisher writes it. These tests keep them true to the records.
 * <p>
 * No event may have a component named {@code type}: that key is the event-type discriminator on the wire (the kind
 * of amends is {@code amendsType}), which {@link #no_event_repeats_the_type_key} pins down.
 */
class AccountabilityContractExamplesTest {

    private static final String EXAMPLES = "examples/accountability/";
    private static final TypeReference<EventEnvelope<AccountabilityEvent>> ENVELOPE = new TypeReference<>() {
    };

    /** Strict, to catch typos in the examples; writes like the publisher (ISO dates, nulls left out). */
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
        JsonSubTypes annotation = AccountabilityEvent.class.getAnnotation(JsonSubTypes.class);
        assertThat(annotation).as("@JsonSubTypes on AccountabilityEvent").isNotNull();
        return Arrays.stream(annotation.value());
    }

    static Stream<String> eventTypes() {
        return subtypes().map(JsonSubTypes.Type::name);
    }

    private static Class<?> classOf(String eventType) {
        return subtypes().filter(t -> t.name().equals(eventType)).findFirst().orElseThrow().value();
    }

    private static String read(String eventType) throws IOException {
        try (InputStream in = AccountabilityContractExamplesTest.class.getClassLoader()
                .getResourceAsStream(EXAMPLES + eventType + ".json")) {
            assertThat(in).as("example %s%s.json", EXAMPLES, eventType).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void every_subtype_of_AccountabilityEvent_has_an_example() {
        assertThat(eventTypes()).hasSize(13).allSatisfy(type ->
                assertThat(AccountabilityContractExamplesTest.class.getClassLoader().getResource(EXAMPLES + type + ".json"))
                        .as("example for %s", type).isNotNull());
    }

    @Test
    void every_example_file_is_a_known_event_type() throws URISyntaxException, IOException {
        URL dir = AccountabilityContractExamplesTest.class.getClassLoader().getResource(EXAMPLES);
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
        Set<Class<?>> permitted = Set.of(AccountabilityEvent.class.getPermittedSubclasses());
        Set<Class<?>> declared = subtypes().map(JsonSubTypes.Type::value).collect(Collectors.toSet());
        assertThat(declared).as("@JsonSubTypes vs sealed permits").isEqualTo(permitted);
        subtypes().forEach(t -> assertThat(AccountabilityEvent.typeName(t.value().asSubclass(AccountabilityEvent.class)))
                .as("wire name of %s", t.value().getSimpleName()).isEqualTo(t.name()));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void example_reads_strictly_as_its_event_type(String eventType) throws IOException {
        String json = read(eventType);
        EventEnvelope<AccountabilityEvent> envelope = STRICT.readValue(json, ENVELOPE);
        AccountabilityEvent event = envelope.event();

        assertThat(event).isNotNull();
        assertThat(envelope.eventType()).isEqualTo(eventType);
        assertThat(event.getClass()).isEqualTo(classOf(eventType));
        assertThat(AccountabilityEvent.typeName(event.getClass())).isEqualTo(envelope.eventType());
        assertThat(discriminator(json)).as("the event's first \"type\" key").isEqualTo(eventType);
        assertThat(envelope.caseId()).isNotBlank().isEqualTo(event.caseId());
        assertThat(envelope.contractVersion()).isEqualTo(EventEnvelope.CURRENT_CONTRACT_VERSION);
        assertThat(envelope.producedBy()).isEqualTo("accountability-service");
        assertThat(UUID.fromString(envelope.eventId())).hasToString(envelope.eventId());
        assertThat(envelope.sequence()).isNotNegative();
        assertThat(envelope.recordedAt()).isNotNull().isEqualTo(event.recordedAt());
        assertThat(event.actor()).isNotBlank();
        assertThat(event.occurredAt()).isNotNull();
        assertThat(event.recordedAt()).isNotNull().isAfterOrEqualTo(event.occurredAt());
    }

    /** The envelope ignores unknown properties by annotation, so compare its field names with the record's. */
    @ParameterizedTest
    @MethodSource("eventTypes")
    void envelope_fields_are_the_record_components_the_publisher_writes(String eventType) throws IOException {
        JsonNode tree = STRICT.readTree(read(eventType));
        Set<String> components = Arrays.stream(EventEnvelope.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).collect(Collectors.toSet());
        assertThat(fieldNames(tree)).isEqualTo(components);
    }

    /** The examples of one case form a hash chain a consumer can verify from the published JSON alone. */
    @org.junit.jupiter.api.Test
    void the_raqqa_examples_form_a_verifiable_chain() throws IOException {
        java.util.TreeMap<Long, JsonNode> stream = new java.util.TreeMap<>();
        for (String type : eventTypes().toList()) {
            JsonNode envelope = STRICT.readTree(read(type));
            if ("RAQQA-2017-0628".equals(envelope.get("caseId").asText())) {
                stream.put(envelope.get("sequence").asLong(), envelope);
            }
        }
        String previous = org.civharm.contract.integrity.EventHashes.GENESIS;
        long expected = 0;
        for (var entry : stream.entrySet()) {
            assertThat(entry.getKey()).isEqualTo(expected++);
            JsonNode envelope = entry.getValue();
            assertThat(envelope.get("previousHash").asText()).isEqualTo(previous);
            previous = org.civharm.contract.integrity.EventHashes.hash("RAQQA-2017-0628", entry.getKey(),
                    envelope.get("eventType").asText(), previous, envelope.get("event"));
            assertThat(envelope.get("hash").asText()).as(envelope.get("eventType").asText()).isEqualTo(previous);
        }
        assertThat(expected).isEqualTo(12);
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void round_trip_gives_an_equal_record_and_the_published_json(String eventType) throws IOException {
        String json = read(eventType);
        EventEnvelope<AccountabilityEvent> envelope = STRICT.readValue(json, ENVELOPE);

        String written = STRICT.writerFor(ENVELOPE).writeValueAsString(envelope);
        EventEnvelope<AccountabilityEvent> reread = STRICT.readValue(written, ENVELOPE);

        assertThat(reread).isEqualTo(envelope);
        assertThat(reread.event()).isEqualTo(envelope.event());
        // the example is what the publisher writes, up to whitespace and key order (repeated keys included)
        assertThat(STRICT.readTree(written)).isEqualTo(STRICT.readTree(json));
        assertThat(keys(written)).containsExactlyInAnyOrderElementsOf(keys(json));
    }

    @Test
    void amounts_are_exact_decimals() throws IOException {
        AmendsOfferedEvent offered = (AmendsOfferedEvent) STRICT.readValue(read("AmendsOffered"), ENVELOPE).event();
        AmendsPaidEvent paid = (AmendsPaidEvent) STRICT.readValue(read("AmendsPaid"), ENVELOPE).event();
        assertThat(offered.offer().amount()).isEqualTo(new BigDecimal("2500.00"));
        assertThat(paid.paid().amount()).isEqualTo(new BigDecimal("2500.00"));
        assertThat(paid.paid().currency()).isEqualTo(offered.offer().currency()).isEqualTo("USD");
        assertThat(STRICT.writeValueAsString(paid)).contains("\"amount\":2500.00");
    }

    @Test
    void no_event_repeats_the_type_key() throws IOException {
        String json = read("AmendsOffered");
        assertThat(keys(json).stream().filter("event.type"::equals)).hasSize(1);
        AmendsOfferedEvent event = (AmendsOfferedEvent) STRICT.readValue(json, ENVELOPE).event();
        assertThat(event.amendsType()).isEqualTo(AmendsType.EX_GRATIA);
        assertThat(event.amendsId()).isEqualTo("AM-1");
        for (Class<?> type : AccountabilityEvent.class.getPermittedSubclasses()) {
            assertThat(java.util.Arrays.stream(type.getRecordComponents()).map(c -> c.getName()))
                    .as(type.getSimpleName()).doesNotContain("type");
        }
    }

    @Test
    void a_strict_reader_refuses_an_unknown_field_inside_the_event() throws IOException {
        ObjectNode body = (ObjectNode) STRICT.readTree(read("LetterSent"));
        ((ObjectNode) body.get("event")).put("copiedTo", "UN Special Rapporteur");

        assertThatThrownBy(() -> STRICT.readValue(STRICT.writeValueAsString(body), ENVELOPE))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("copiedTo");
    }

    @Test
    void a_tolerant_reader_accepts_fields_added_to_the_envelope_and_to_the_event() throws IOException {
        String original = read("LetterSent");
        EventEnvelope<AccountabilityEvent> expected = STRICT.readValue(original, ENVELOPE);

        ObjectNode body = (ObjectNode) TOLERANT.readTree(original);
        body.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        ((ObjectNode) body.get("event")).put("copiedTo", "UN Special Rapporteur");
        EventEnvelope<AccountabilityEvent> read = TOLERANT.readValue(TOLERANT.writeValueAsString(body), ENVELOPE);

        assertThat(read).isEqualTo(expected);
        assertThat(((LetterSentEvent) read.event()).responseDueOn()).hasToString("2018-09-19");
    }

    /** The value of the first {@code type} key of the envelope's event object, read as a stream (no tree). */
    private static String discriminator(String json) throws IOException {
        try (JsonParser p = STRICT.getFactory().createParser(json)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("event".equals(name) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        if ("type".equals(field)) {
                            return p.getText();
                        }
                        p.skipChildren();
                    }
                    return null;
                }
                p.skipChildren();
            }
            return null;
        }
    }

    /** Every key path in document order, repeated keys kept (a tree would keep only the last). */
    private static List<String> keys(String json) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> path = new ArrayList<>();
        try (JsonParser p = STRICT.getFactory().createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    String prefix = path.isEmpty() ? "" : String.join(".", path) + ".";
                    out.add(prefix + p.currentName());
                    if (p.nextToken().isStructStart() && p.currentToken() == JsonToken.START_OBJECT) {
                        path.add(p.currentName());
                    } else if (p.currentToken() == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    }
                } else if (t == JsonToken.END_OBJECT && !path.isEmpty()) {
                    path.remove(path.size() - 1);
                }
            }
        }
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
