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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;

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
    private static final Logger log = LoggerFactory.getLogger(CaseEventStream.class);

    /** Events written in memory before the response begins, by default; a case of at most this many goes out whole. */
    public static final int WHOLE_UP_TO = 5_000;

    private final SequencedMongoEventStorageEngine engine;
    private final ObjectMapper mapper;
    private final int wholeUpTo;

    /**
     * {@code mapper}: the API's, which writes an event the way every other response is written; {@code wholeUpTo}:
     * how many events are written in memory before the response begins (see {@link #write}).
     */
    public CaseEventStream(SequencedMongoEventStorageEngine engine, ObjectMapper mapper,
                           @Value("${civharm.events.whole-response-up-to:" + WHOLE_UP_TO + "}") int wholeUpTo) {
        if (wholeUpTo < 1) {
            throw new IllegalArgumentException("civharm.events.whole-response-up-to must be at least 1, not " + wholeUpTo);
        }
        this.engine = engine;
        this.mapper = mapper;
        this.wholeUpTo = wholeUpTo;
    }

    /** One event as served: the stream's schema, and the form an upcast event is written in. */
    public record Entry(long sequence, String eventId, String type, Instant recordedAt, String hash,
                        String previousHash, Object event) {
    }

    /** Where a stream is sent: opened once, when the first byte must go out, with its length if known (else -1). */
    @FunctionalInterface
    public interface Destination {
        OutputStream open(long contentLength) throws IOException;
    }

    /**
     * The stream failed after it began to go out (the store, an event that cannot be written, or the client gone).
     * Nothing more is written: the array stays unclosed, so a client gets JSON that does not parse, never a shorter
     * stream that does.
     */
    public static final class CutShortException extends RuntimeException {
        CutShortException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Writes the case's stream to {@code destination} as a JSON array; false, with nothing opened, if the store holds
     * no event of the case.
     * <p>
     * The first events (by default {@value #WHOLE_UP_TO}) are written in memory: a failure among them is thrown
     * before anything is sent (the caller answers with an error), and a case no longer than that goes out whole, with
     * its length. A longer case then goes out as it is read, the store's page at a time (about 1 kB an event held,
     * not the whole case); a failure after that point is a {@link CutShortException}. A client that leaves mid-stream
     * is not a failure of the case: the write ends quietly.
     */
    public boolean write(String caseId, Destination destination) {
        Iterator<IntermediateEventRepresentation> events = engine.storedStream(caseId).iterator();
        if (!events.hasNext()) {
            return false;
        }
        Serializer serializer = engine.getEventSerializer();
        HeldUntilOpened out = new HeldUntilOpened(destination, 32 * 1024); // grows as it must
        JsonGenerator g = null;
        try {
            // a close neither closes the destination nor finishes the array (as it would by default after a failure)
            g = JSON.createGenerator(out)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            g.writeStartArray();
            long written = 0;
            while (events.hasNext()) {
                if (written == wholeUpTo) {
                    g.flush();
                    out.open();
                }
                IntermediateEventRepresentation event = events.next();
                try {
                    writeEvent(event, serializer, g);
                } catch (IOException | RuntimeException e) {
                    if (out.sendFailed()) { // the client, not the event
                        throw e;
                    }
                    throw new IllegalStateException("could not write event " + event.getSequenceNumber().orElse(null)
                            + " (" + event.getMessageIdentifier() + ") of case " + caseId + ": " + e.getMessage(), e);
                }
                written++;
            }
            g.writeEndArray();
            g.close();
            out.finish();
            return true;
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(g);
            if (out.sendFailed()) { // the client went away: nothing to answer, nothing wrong with the case
                log.debug("the client left before the stream of case {} was sent: {}", caseId, e.getMessage());
                return true;
            }
            if (out.isOpen()) {
                throw new CutShortException("the stream of case " + caseId + " was cut short after it began to go out: "
                        + e.getMessage(), e);
            }
            // not begun: the caller answers (a store outage as such, an unreadable event as the bug it is)
            throw e instanceof IOException io ? new UncheckedIOException("could not write the stream of " + caseId, io)
                    : (RuntimeException) e;
        }
    }

    /** Gives the generator's buffers back; what it still held goes after the failure, or nowhere if it cannot. */
    private static void closeAfterFailure(JsonGenerator g) {
        if (g == null) {
            return;
        }
        try {
            g.close();
        } catch (IOException | RuntimeException ignored) {
            // the failure being reported is the one that matters
        }
    }

    /**
     * Holds what is written until it must go out: {@link #open} sends what is held and passes the rest on, and
     * {@link #finish} opens with the length of a stream held whole. It does not pass {@code flush()} on (the mapper
     * flushes after each upcast event it writes): the destination sends when its own buffer is full.
     */
    private static final class HeldUntilOpened extends OutputStream {
        private final Destination destination;
        private ByteArrayOutputStream held;
        private OutputStream open;
        private boolean sendFailed;

        HeldUntilOpened(Destination destination, int initialSize) {
            this.destination = destination;
            this.held = new ByteArrayOutputStream(initialSize);
        }

        boolean isOpen() {
            return open != null;
        }

        void open() throws IOException {
            open(-1);
        }

        private void open(long length) throws IOException {
            open = destination.open(length);
            ByteArrayOutputStream toSend = held;
            held = null;
            toSend.writeTo(this); // sent as anything after it is (see write)
            if (length < 0) {
                // sent now, so the response is committed: a failure from here on can only cut it short, not be
                // answered (a servlet container would otherwise still reset its buffer for an error page)
                send();
            }
        }

        void finish() throws IOException {
            if (open == null) {
                open(held.size());
            }
            send();
        }

        private void send() throws IOException {
            try {
                open.flush();
            } catch (IOException e) {
                sendFailed = true;
                throw e;
            }
        }

        boolean sendFailed() {
            return sendFailed;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (open == null) {
                held.write(bytes, offset, length);
                return;
            }
            try {
                open.write(bytes, offset, length);
            } catch (IOException e) {
                sendFailed = true;
                throw e;
            }
        }
    }

    private void writeEvent(IntermediateEventRepresentation event, Serializer serializer, JsonGenerator g)
            throws IOException {
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
