package org.civharm.incident.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Reads {@code AllegationFiled} events stored in the first contract shape (revision "0"): a single {@code placeName}
 * string instead of the {@code place} object with names in several scripts, and killed/injured as flat
 * {@code killedMin/killedMax/injuredMin/injuredMax} numbers instead of {@code casualties}, and no {@code type}
 * property. Stored events are never
 * rewritten; they are upcast every time they are read.
 */
@Component
@Order(0)
public class AllegationFiledV0Upcaster extends SingleEventUpcaster {

    static final SimpleSerializedType V0 = new SimpleSerializedType(AllegationFiledEvent.class.getName(), "0");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return representation.getType().equals(V0);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(V0.getName(), null), JsonNode.class, this::upcast);
    }

    JsonNode upcast(JsonNode old) {
        ObjectNode event = ((ObjectNode) old).deepCopy();
        if (!event.has("type")) {
            event.put("type", "AllegationFiled"); // the first shape carried no type property
        }
        if (event.has("placeName")) {
            ObjectNode place = NODES.objectNode();
            ArrayNode names = place.putArray("names");
            names.addObject().put("language", "en").put("name", event.remove("placeName").asText());
            place.putArray("points");
            event.set("place", place);
        }
        if (event.has("killedMin") || event.has("killedMax")) {
            ObjectNode casualties = NODES.objectNode();
            casualties.putObject("killed").set("total", range(event.remove("killedMin"), event.remove("killedMax")));
            casualties.putObject("injured").set("total", range(event.remove("injuredMin"), event.remove("injuredMax")));
            event.set("casualties", casualties);
        }
        if (!event.has("externalReferences")) {
            event.putArray("externalReferences");
        }
        return event;
    }

    private static ObjectNode range(JsonNode min, JsonNode max) {
        int low = min == null || min.isNull() ? 0 : min.asInt();
        int high = max == null || max.isNull() ? low : max.asInt();
        return NODES.objectNode().put("min", low).put("max", high);
    }
}
