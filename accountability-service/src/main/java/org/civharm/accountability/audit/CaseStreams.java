package org.civharm.accountability.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.types.Binary;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.civharm.accountability.domain.EventJson;
import org.civharm.accountability.history.CaseEvent;
import org.civharm.accountability.views.TimelineEntry;
import org.civharm.accountability.views.TimelineRepository;
import org.civharm.contract.integrity.EventHashes;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a case's two hash-chained streams exactly as they are kept: this service's own stream from the raw
 * documents of the event store (with the MongoDB driver, not through Axon, so what is checked is what is stored),
 * and incident-service's stream from the case file (each event's JSON as published, with the hash and link of its
 * envelope).
 */
@Component
public class CaseStreams {

    static final String EVENTS = "domainevents";
    /** Reads numbers exactly as written (2500.00 stays 2500.00), for exports. */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private final MongoCollection<Document> events;
    private final TimelineRepository timeline;

    public CaseStreams(MongoClient client, CivharmMongoProperties mongo, TimelineRepository timeline) {
        this.events = client.getDatabase(mongo.database()).getCollection(EVENTS);
        this.timeline = timeline;
    }

    /**
     * One event of a stream as kept.
     *
     * @param json the event's JSON text as stored or published
     */
    record Kept(long sequence, String eventId, String type, Instant recordedAt, String hash, String previousHash,
                String json) {

        /** The tree the chain is computed over (a plain parser's reading, as every verifier does). */
        JsonNode chainTree() {
            try {
                return EventJson.parse(json);
            } catch (IllegalArgumentException e) {
                return new ObjectMapper().createObjectNode().put("unreadable", String.valueOf(e.getMessage()));
            }
        }

        /** The JSON with its numbers exactly as written, for an export. */
        JsonNode exactTree() {
            try {
                return EXACT.readTree(json);
            } catch (Exception e) {
                return new ObjectMapper().createObjectNode().put("unreadable", String.valueOf(e.getMessage()));
            }
        }
    }

    /** This service's stream of the case, from the raw event-store documents, by sequence. */
    List<Kept> ownStream(String caseId) {
        List<Kept> out = new ArrayList<>();
        for (Document doc : events.find(Filters.eq("aggregateIdentifier", caseId)).sort(Sorts.ascending("sequenceNumber"))) {
            String payload = text(doc.get("serializedPayload"));
            JsonNode metaData = metaData(doc.get("serializedMetaData"));
            Instant recordedAt = null;
            try {
                JsonNode recorded = EventJson.parse(payload).path("recordedAt");
                recordedAt = recorded.isTextual() ? Instant.parse(recorded.asText()) : null;
            } catch (RuntimeException ignored) {
                // an unreadable payload is reported by the chain check
            }
            out.add(new Kept(((Number) doc.get("sequenceNumber")).longValue(), doc.getString("eventIdentifier"),
                    typeName(doc.getString("payloadType")), recordedAt,
                    metaData.path(EventHashes.HASH).asText(null), metaData.path(EventHashes.PREVIOUS_HASH).asText(null),
                    payload));
        }
        return out;
    }

    /** incident-service's stream of the case as received on its topic (the case file), by sequence. */
    List<Kept> incidentStream(String caseId) {
        List<Kept> out = new ArrayList<>();
        for (TimelineEntry e : timeline.findStream(caseId, CaseEvent.INCIDENT_SERVICE)) {
            out.add(new Kept(e.sequence(), e.eventId(), e.type(), e.recordedAt(), e.hash(), e.previousHash(), e.event()));
        }
        return out;
    }

    /** This service's events of the case as received back from its own topic (the case file). */
    List<TimelineEntry> ownStreamAsPublished(String caseId) {
        return timeline.findStream(caseId, CaseEvent.ACCOUNTABILITY_SERVICE);
    }

    private static String text(Object stored) {
        if (stored instanceof String s) {
            return s;
        }
        if (stored instanceof Document d) {
            return d.toJson();
        }
        if (stored instanceof Binary b) {
            return new String(b.getData(), StandardCharsets.UTF_8);
        }
        if (stored instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return "null";
    }

    private static JsonNode metaData(Object stored) {
        try {
            return EventJson.parse(text(stored));
        } catch (RuntimeException e) {
            return new ObjectMapper().createObjectNode();
        }
    }

    private static String typeName(String payloadType) {
        if (payloadType == null) {
            return null;
        }
        String simple = payloadType.substring(payloadType.lastIndexOf('.') + 1);
        return simple.endsWith("Event") ? simple.substring(0, simple.length() - "Event".length()) : simple;
    }
}
