package org.civharm.incident.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.types.Binary;
import org.civharm.contract.integrity.CaseExport;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.config.CivharmMongoProperties;
import org.civharm.incident.views.AllegationSummaryRepository;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Recomputes a case's hash chain from the raw documents of the event store (read with the Mongo driver, not through
 * Axon, so what is checked is exactly what is stored) and names the first event whose hash, link or position does
 * not match. Catches an edited event (hash), a removed or inserted event (sequence gap, broken link), and a removed
 * tail (the summary view has seen a later event than the store holds).
 */
@Component
public class EventStreamVerifier {

    static final String EVENTS = "domainevents";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MongoCollection<Document> events;
    private final AllegationSummaryRepository summaries;
    private final Clock clock;

    public EventStreamVerifier(MongoClient client, CivharmMongoProperties mongo, AllegationSummaryRepository summaries,
                               Clock clock) {
        this.events = client.getDatabase(mongo.database()).getCollection(EVENTS);
        this.summaries = summaries;
        this.clock = clock;
    }

    public IntegrityReport verify(String caseId) {
        List<Document> stored = new ArrayList<>();
        events.find(Filters.eq("aggregateIdentifier", caseId)).sort(Sorts.ascending("sequenceNumber")).into(stored);
        Instant now = clock.instant();
        if (stored.isEmpty()) {
            return new IntegrityReport(caseId, IntegrityReport.Status.NOT_FOUND, 0, null, null, now);
        }
        String previous = EventHashes.GENESIS;
        long expectedSequence = 0;
        for (Document doc : stored) {
            long sequence = ((Number) doc.get("sequenceNumber")).longValue();
            String eventId = doc.getString("eventIdentifier");
            String type = typeName(doc.getString("payloadType"));
            if (sequence != expectedSequence) {
                return broken(caseId, stored.size(), now, sequence, eventId, type, IntegrityReport.Problem.SEQUENCE_GAP,
                        "expected sequence " + expectedSequence + " but the next stored event has " + sequence
                                + ": event(s) missing from the stream", null, null);
            }
            JsonNode metaData = json(doc.get("serializedMetaData"));
            String storedHash = metaData.path(EventHashes.HASH).asText(null);
            String storedPrevious = metaData.path(EventHashes.PREVIOUS_HASH).asText(null);
            if (storedHash == null || storedPrevious == null) {
                return broken(caseId, stored.size(), now, sequence, eventId, type, IntegrityReport.Problem.MISSING_HASH,
                        "the event carries no hash-chain metadata", null, null);
            }
            if (!storedPrevious.equals(previous)) {
                return broken(caseId, stored.size(), now, sequence, eventId, type, IntegrityReport.Problem.LINK_MISMATCH,
                        "the event links to a previous hash that is not the hash of the event before it",
                        previous, storedPrevious);
            }
            String recomputed = EventHashes.hash(caseId, sequence, type, previous, json(doc.get("serializedPayload")));
            if (!recomputed.equals(storedHash)) {
                return broken(caseId, stored.size(), now, sequence, eventId, type, IntegrityReport.Problem.HASH_MISMATCH,
                        "the stored event does not match its hash: it was changed after it was recorded",
                        recomputed, storedHash);
            }
            previous = storedHash;
            expectedSequence++;
        }
        long lastStored = expectedSequence - 1;
        var seen = summaries.findById(caseId).map(s -> s.lastSequence).orElse(lastStored);
        if (seen > lastStored) {
            return broken(caseId, stored.size(), now, lastStored + 1, null, null, IntegrityReport.Problem.SEQUENCE_GAP,
                    "the views have seen events up to sequence " + seen + " but the store ends at " + lastStored
                            + ": the tail of the stream was removed", null, null);
        }
        return new IntegrityReport(caseId, IntegrityReport.Status.VERIFIED, stored.size(), previous, null, now);
    }

    /** The case's stream as stored, with each event's JSON exactly as the store holds it, for an export. */
    public List<CaseExport.ExportedEvent> storedStream(String caseId) {
        List<CaseExport.ExportedEvent> exported = new ArrayList<>();
        for (Document doc : events.find(Filters.eq("aggregateIdentifier", caseId)).sort(Sorts.ascending("sequenceNumber"))) {
            JsonNode metaData = json(doc.get("serializedMetaData"));
            JsonNode event = json(doc.get("serializedPayload"));
            exported.add(new CaseExport.ExportedEvent(((Number) doc.get("sequenceNumber")).longValue(),
                    doc.getString("eventIdentifier"), typeName(doc.getString("payloadType")),
                    Instant.parse(event.path("recordedAt").asText(doc.getString("timestamp"))),
                    metaData.path(EventHashes.HASH).asText(null), metaData.path(EventHashes.PREVIOUS_HASH).asText(null),
                    event));
        }
        return exported;
    }

    private static IntegrityReport broken(String caseId, int events, Instant now, long sequence, String eventId,
                                          String type, IntegrityReport.Problem problem, String detail,
                                          String expected, String found) {
        return new IntegrityReport(caseId, IntegrityReport.Status.BROKEN, events, null,
                new IntegrityReport.FirstBreak(sequence, eventId, type, problem, detail, expected, found), now);
    }

    /** Payload and metadata are stored as JSON text, a sub-document or bytes depending on the serializer's form. */
    private static JsonNode json(Object stored) {
        try {
            if (stored instanceof String text) {
                return JSON.readTree(text);
            }
            if (stored instanceof Document document) {
                return JSON.readTree(document.toJson());
            }
            if (stored instanceof Binary binary) {
                return JSON.readTree(new String(binary.getData(), StandardCharsets.UTF_8));
            }
            if (stored instanceof byte[] bytes) {
                return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            return JSON.createObjectNode().put("unreadable", String.valueOf(e.getMessage()));
        }
        return JSON.missingNode();
    }

    private static String typeName(String payloadType) {
        if (payloadType == null) {
            return null;
        }
        return IncidentEvent.typeName(payloadType);
    }
}
