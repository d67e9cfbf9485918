package org.civharm.contract.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * A case exported for auditors: each producer's stream of the case with every event's hash and link, each stream's
 * head hash, and a top hash over the heads — verifiable offline with {@link ExportVerifier} (no service running).
 *
 * @param format     always {@link #FORMAT}
 * @param exportedBy who asked for the export
 * @param streams    one per producing service, events in sequence order
 * @param topHash    {@link #topHash(String, List)} of the streams
 */
public record CaseExport(String format, String caseId, Instant exportedAt, String exportedBy, List<Stream> streams,
                         String topHash) {

    public static final String FORMAT = "civharm-case-export/1";
    private static final ObjectMapper TREE = new ObjectMapper();

    /** One producer's stream of the case. */
    public record Stream(String producedBy, List<ExportedEvent> events, String headHash) {
    }

    /** One event as exported: its JSON as stored or published, with its chain fields. */
    public record ExportedEvent(long sequence, String eventId, String type, Instant recordedAt, String hash,
                                String previousHash, JsonNode event) {
    }

    /**
     * SHA-256 of the canonical JSON of {@code {"caseId": …, "streams": [{"events": <count>, "headHash": …,
     * "producedBy": …}, …]}} with the streams in the order given.
     */
    public static String topHash(String caseId, List<Stream> streams) {
        ObjectNode root = TREE.createObjectNode();
        root.put("caseId", caseId);
        ArrayNode heads = root.putArray("streams");
        for (Stream s : streams) {
            heads.addObject().put("producedBy", s.producedBy()).put("headHash", s.headHash()).put("events", s.events().size());
        }
        return EventHashes.sha256(EventHashes.canonicalJson(root));
    }

    /** Assembles an export, computing the top hash. */
    public static CaseExport of(String caseId, Instant exportedAt, String exportedBy, List<Stream> streams) {
        return new CaseExport(FORMAT, caseId, exportedAt, exportedBy, List.copyOf(streams), topHash(caseId, streams));
    }

    /** A stream whose head is its last event's hash ({@link EventHashes#GENESIS} when empty). */
    public static Stream stream(String producedBy, List<ExportedEvent> events) {
        String head = events.isEmpty() ? EventHashes.GENESIS : events.get(events.size() - 1).hash();
        return new Stream(producedBy, List.copyOf(events), head);
    }
}
