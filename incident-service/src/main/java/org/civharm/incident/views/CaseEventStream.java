package org.civharm.incident.views;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.LazyDeserializingObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.eventstore.SequencedMongoEventStorageEngine;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A case's event stream as {@code GET /allegations/{caseId}/events} serves it: in order, each event with its
 * sequence, id, type, recordedAt, hash-chain links and payload.
 * <p>
 * Written token by token from the JSON the store holds instead of through the event classes: in a profile of a
 * 1,000-event case, binding every payload and its metadata to objects only to write them out again was four fifths of
 * the request's CPU. For events this contract version wrote, the output is the one the API's mapper gives for the
 * bound events (asserted byte for byte by {@code AllegationApiTest} for every event type): null fields are left out,
 * as the API leaves them out, and so is the contract's {@code type} property inside the payload, which the entry
 * names already. Events an upcaster changed are bound and written by the mapper ({@code OldContractShapeTest}).
 * <p>
 * Otherwise a stored event is served as stored, where binding changed it: a field a newer version wrote (another
 * instance during a rolling upgrade) is served, where binding dropped it; a field added to a record since an event
 * was stored is absent, where binding gave its default; an event of a type this version does not know is served
 * under its stored type name, where binding failed. A changed shape needs a new revision and an upcaster (as
 * {@code AllegationFiledV0Upcaster}).
 */
@Component
public class CaseEventStream {

    /** The contract's type-id property ({@code @JsonTypeInfo} on {@link IncidentEvent}). */
    private static final String TYPE_PROPERTY = "type";
    private static final String RECORDED_AT = "recordedAt";
    private static final JsonFactory JSON = new JsonFactory();

    private final SequencedMongoEventStorageEngine engine;
    private final ObjectMapper mapper;

    /** {@code mapper}: the API's, which writes an event the way every other response is written. */
    public CaseEventStream(SequencedMongoEventStorageEngine engine, ObjectMapper mapper) {
        this.engine = engine;
        this.mapper = mapper;
    }

    /** One event as served: the stream's schema, and the form an upcast event is written in. */
    public record Entry(long sequence, String eventId, String type, Instant recordedAt, String hash,
                        String previousHash, Object event) {
    }

    /** The case's stream as a JSON array, or empty if the store holds no event of the case. */
    public Optional<byte[]> json(String caseId) {
        List<IntermediateEventRepresentation> events = engine.storedStream(caseId);
        if (events.isEmpty()) {
            return Optional.empty();
        }
        Serializer serializer = engine.getEventSerializer();
        // about 0.8 kB an event; the buffer grows past this if it must
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(events.size() * 1024L, 1 << 24));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (IntermediateEventRepresentation event : events) {
                try {
                    write(event, serializer, g);
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("could not write event " + event.getSequenceNumber().orElse(null)
                            + " (" + event.getMessageIdentifier() + ") of case " + caseId + ": " + e.getMessage(), e);
                }
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the stream of " + caseId, e);
        }
        return Optional.of(out.toByteArray());
    }

    private void write(IntermediateEventRepresentation event, Serializer serializer, JsonGenerator g) throws IOException {
        Class<?> payloadType = serializer.classForType(event.getType());
        Object payload = event.getData().getData();
        String type = IncidentEvent.typeName(event.getType().getName()); // also for a type this version does not know
        long sequence = event.getSequenceNumber().orElseThrow();
        String[] links = hashLinks(event.getMetaData());
        boolean asStored = event instanceof InitialEventRepresentation // no upcaster changed it (they pass it on as is)
                && (payload instanceof String || payload instanceof byte[]);
        if (!asStored) {
            // an upcaster rebuilt it (fields in its own order): bound, as Axon binds it, then written by the mapper
            Object bound = serializer.deserialize(event.getData());
            mapper.writeValue(g, new Entry(sequence, event.getMessageIdentifier(), type,
                    bound instanceof IncidentEvent e ? e.recordedAt() : null, links[0], links[1], bound));
            return;
        }
        // an incident event's JSON carries its type id; so, presumably, does one of a type a newer version added
        boolean typed = IncidentEvent.class.isAssignableFrom(payloadType) || payloadType == UnknownSerializedType.class;
        // the payload is copied first (parsed once), as recordedAt, its own field, is written ahead of it
        TokenBuffer copied = new TokenBuffer((ObjectCodec) null, false);
        String recordedAt;
        try (JsonParser p = parser(payload)) {
            recordedAt = copyWithoutNulls(p, copied, typed);
        }
        g.writeStartObject();
        g.writeNumberField("sequence", sequence);
        writeIfPresent(g, "eventId", event.getMessageIdentifier());
        g.writeStringField("type", type);
        // recordedAt is the event's own field (the one "as of" queries compare), not the store's timestamp
        writeIfPresent(g, RECORDED_AT, recordedAt);
        writeIfPresent(g, "hash", links[0]);
        writeIfPresent(g, "previousHash", links[1]);
        g.writeFieldName("event");
        copied.serialize(g);
        g.writeEndObject();
    }

    /**
     * Copies one JSON object, leaving out null fields and (if asked) the payload's own type property; returns its
     * top-level {@value #RECORDED_AT} text, or null.
     */
    static String copyWithoutNulls(JsonParser p, JsonGenerator g, boolean dropTypeProperty) throws IOException {
        String recordedAt = null;
        int depth = 0;
        JsonToken token = p.nextToken();
        while (token != null) {
            if (token == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_NULL || (dropTypeProperty && depth == 1 && TYPE_PROPERTY.equals(name))) {
                    p.skipChildren();
                    token = p.nextToken();
                    continue;
                }
                if (depth == 1 && value == JsonToken.VALUE_STRING && RECORDED_AT.equals(name)) {
                    recordedAt = p.getText();
                }
                g.writeFieldName(name);
                token = value;
            }
            switch (token) {
                case START_OBJECT -> {
                    g.writeStartObject();
                    depth++;
                }
                case START_ARRAY -> {
                    g.writeStartArray();
                    depth++;
                }
                case END_OBJECT -> {
                    g.writeEndObject();
                    depth--;
                }
                case END_ARRAY -> {
                    g.writeEndArray();
                    depth--;
                }
                default -> g.copyCurrentEvent(p);
            }
            if (depth == 0) {
                return recordedAt;
            }
            token = p.nextToken();
        }
        return recordedAt;
    }

    /**
     * The event's hash and the previous event's, read from the stored metadata JSON without binding the whole map
     * (Axon binds it to a {@code MetaData}); from the bound map only if an upcaster changed it.
     */
    private static String[] hashLinks(LazyDeserializingObject<MetaData> metaData) throws IOException {
        String[] links = new String[2];
        Object stored = metaData.isDeserialized() ? null : metaData.getSerializedObject().getData();
        if (stored instanceof String || stored instanceof byte[]) { // JSON as stored
            try (JsonParser p = parser(stored)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken value = p.nextToken();
                        if (value == JsonToken.VALUE_STRING && EventHashes.HASH.equals(name)) {
                            links[0] = p.getText();
                        } else if (value == JsonToken.VALUE_STRING && EventHashes.PREVIOUS_HASH.equals(name)) {
                            links[1] = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            }
            return links;
        }
        MetaData bound = metaData.getObject();
        links[0] = bound.get(EventHashes.HASH) instanceof String text ? text : null;
        links[1] = bound.get(EventHashes.PREVIOUS_HASH) instanceof String text ? text : null;
        return links;
    }

    private static JsonParser parser(Object stored) throws IOException {
        return stored instanceof byte[] bytes ? JSON.createParser(bytes) : JSON.createParser((String) stored);
    }

    private static void writeIfPresent(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
