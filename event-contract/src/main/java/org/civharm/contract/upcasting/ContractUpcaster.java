package org.civharm.contract.upcasting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The Kafka side of schema evolution, in one place every consumer uses: turns an {@link EventEnvelope} published
 * with an older contract version into the current shape before it is read, and refuses one written with a newer
 * version than the consumer knows.
 * <p>
 * The version is the envelope's {@code contractVersion}; when the envelope has none, the
 * {@link EventHeaders#CONTRACT_VERSION} header; when neither says, 0 (the first envelopes). Published records are
 * never rewritten: they are upcast each time they are read, one version step at a time.
 * <p>
 * Version 0 → 1 (the first published shape, the same change incident-service's store upcaster makes for stored
 * events):
 * <ul>
 *   <li>events carried no {@code type} property: it is taken from the envelope's {@code eventType} (or the
 *       {@link EventHeaders#EVENT_TYPE} header);</li>
 *   <li>{@code AllegationFiled} had one {@code placeName} string instead of {@code place} with names in several
 *       scripts, and flat {@code killedMin/killedMax/injuredMin/injuredMax} instead of {@code casualties}, and no
 *       {@code externalReferences}.</li>
 * </ul>
 * Plain Jackson, no framework: usable by any consumer. Numbers are kept exactly as written (no binary floating point).
 */
public final class ContractUpcaster {

    /** The oldest contract version this upcaster reads. */
    public static final int OLDEST_VERSION = 0;
    /** The version records are upcast to. */
    public static final int CURRENT_VERSION = EventEnvelope.CURRENT_CONTRACT_VERSION;

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .setNodeFactory(NODES);
    /** Step from version {@code key} to {@code key + 1}. */
    private static final Map<Integer, UnaryOperator<ObjectNode>> STEPS = Map.of(0, ContractUpcaster::v0ToV1);

    private ContractUpcaster() {
    }

    /**
     * The version a record was written with.
     *
     * @param envelope      the record's envelope JSON
     * @param versionHeader the {@link EventHeaders#CONTRACT_VERSION} header value, or null
     * @throws UnsupportedContractVersionException if the stated version is not a whole number
     */
    public static int versionOf(JsonNode envelope, String versionHeader) {
        JsonNode v = envelope == null ? null : envelope.get("contractVersion");
        if (v != null && !v.isNull()) {
            if (v.isIntegralNumber() && v.canConvertToInt()) {
                return v.intValue();
            }
            throw new UnsupportedContractVersionException(v.toString(), "contractVersion " + abbreviate(v.toString())
                    + " is not a contract version");
        }
        if (versionHeader != null && !versionHeader.isBlank()) {
            try {
                return Integer.parseInt(versionHeader.strip());
            } catch (NumberFormatException e) {
                throw new UnsupportedContractVersionException(versionHeader, "header " + EventHeaders.CONTRACT_VERSION
                        + " " + abbreviate(versionHeader) + " is not a contract version");
            }
        }
        return OLDEST_VERSION;
    }

    /**
     * The envelope in the current contract shape.
     *
     * @param envelope      the envelope as read from the record (not modified)
     * @param versionHeader the {@link EventHeaders#CONTRACT_VERSION} header value, or null
     * @param eventTypeHeader the {@link EventHeaders#EVENT_TYPE} header value, or null (used when a version-0
     *                        envelope names no type)
     * @param newestReadable the newest version the caller accepts; at least {@link #CURRENT_VERSION}. Versions above
     *                       the current one up to this are passed on as they are (read tolerantly), for a consumer
     *                       upgraded to know that the newer additions may be ignored.
     * @return the same node when it is already current (or accepted newer), else an upcast copy
     * @throws UnsupportedContractVersionException for a version newer than {@code newestReadable} or below
     *                                             {@link #OLDEST_VERSION}
     */
    public static ObjectNode upcast(ObjectNode envelope, String versionHeader, String eventTypeHeader,
                                    int newestReadable) {
        int version = versionOf(envelope, versionHeader);
        int newest = Math.max(CURRENT_VERSION, newestReadable);
        if (version > newest) {
            throw new UnsupportedContractVersionException(String.valueOf(version), "contract version " + version
                    + " is newer than the newest this consumer reads (" + newest + ")");
        }
        if (version < OLDEST_VERSION) {
            throw new UnsupportedContractVersionException(String.valueOf(version), "contract version " + version
                    + " does not exist");
        }
        if (version >= CURRENT_VERSION) {
            return envelope;
        }
        ObjectNode current = envelope.deepCopy();
        if (version == 0 && !current.hasNonNull("eventType") && eventTypeHeader != null && !eventTypeHeader.isBlank()) {
            current.put("eventType", eventTypeHeader.strip());
        }
        for (int v = version; v < CURRENT_VERSION; v++) {
            current = STEPS.get(v).apply(current);
        }
        current.put("contractVersion", CURRENT_VERSION);
        return current;
    }

    /** {@link #upcast(ObjectNode, String, String, int)} for consumers of the current version only. */
    public static ObjectNode upcast(ObjectNode envelope, String versionHeader, String eventTypeHeader) {
        return upcast(envelope, versionHeader, eventTypeHeader, CURRENT_VERSION);
    }

    /**
     * The record value in the current contract shape, for readers that parse the text themselves.
     *
     * @return {@code value} itself (same characters) when it is already current, or not a JSON object at all (the
     * caller's own parser then says why it cannot be read); else the upcast envelope as JSON text
     * @throws UnsupportedContractVersionException as {@link #upcast(ObjectNode, String, String, int)}
     */
    public static String upcast(String value, String versionHeader, String eventTypeHeader, int newestReadable) {
        if (value == null) {
            return null;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return value;
        }
        if (!(parsed instanceof ObjectNode envelope)) {
            return value;
        }
        ObjectNode current = upcast(envelope, versionHeader, eventTypeHeader, newestReadable);
        if (current == envelope) {
            return value;
        }
        try {
            return JSON.writeValueAsString(current);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an upcast envelope", e);
        }
    }

    /** The first published shape to the second (see the class comment). */
    private static ObjectNode v0ToV1(ObjectNode envelope) {
        JsonNode eventNode = envelope.get("event");
        if (!(eventNode instanceof ObjectNode event)) {
            return envelope; // nothing to upcast; the reader says the event is missing
        }
        JsonNode declared = envelope.get("eventType");
        if (!event.has("type") && declared != null && declared.isTextual()) {
            event.put("type", declared.asText());
        }
        JsonNode type = event.get("type");
        if (type != null && "AllegationFiled".equals(type.asText())) {
            allegationFiledV0ToV1(event);
        }
        return envelope;
    }

    private static void allegationFiledV0ToV1(ObjectNode event) {
        if (event.has("placeName") && !event.has("place")) {
            ObjectNode place = NODES.objectNode();
            ArrayNode names = place.putArray("names");
            JsonNode name = event.remove("placeName");
            if (name != null && !name.isNull()) {
                names.addObject().put("language", "en").set("name", name);
            }
            place.putArray("points");
            event.set("place", place);
        }
        if (!event.has("casualties") && (event.has("killedMin") || event.has("killedMax")
                || event.has("injuredMin") || event.has("injuredMax"))) {
            ObjectNode casualties = NODES.objectNode();
            casualties.putObject("killed").set("total", range(event.remove("killedMin"), event.remove("killedMax")));
            casualties.putObject("injured").set("total", range(event.remove("injuredMin"), event.remove("injuredMax")));
            event.set("casualties", casualties);
        }
        if (!event.has("externalReferences")) {
            event.putArray("externalReferences");
        }
    }

    /** A range from the old min/max pair: a missing max is the min (one figure reported), a missing min 0. */
    private static ObjectNode range(JsonNode min, JsonNode max) {
        ObjectNode range = NODES.objectNode();
        range.set("min", min == null || min.isNull() ? NODES.numberNode(0) : min);
        range.set("max", max == null || max.isNull() ? range.get("min") : max);
        return range;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
