package org.civharm.accountability.views;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The case file: every event of a case from both contexts (intake and assessment, accountability), as read from the
 * two Kafka topics, in the {@code timeline} collection. One document per event id, written by an upsert of the same
 * content, so a redelivered or replayed record changes nothing. This is the log the register-wide, as-of and report
 * views are folded from; each entry keeps the event's JSON exactly as published, with its chain hash and link.
 * <p>
 * Times are kept as published (ISO-8601) and as fixed-width sort keys (nanosecond precision, UTC), since ISO strings
 * with a varying number of fraction digits do not sort as text. The live collection is named by a pointer
 * ({@link ViewPointers}), so the view can be rebuilt from the topics while readers keep the old one.
 */
@Repository
public class TimelineRepository {

    public static final String COLLECTION = "timeline";
    private static final DateTimeFormatter SORT_KEY =
            DateTimeFormatter.ofPattern("uuuuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private final PointedCollection collection;

    public TimelineRepository(ViewPointers pointers) {
        this.collection = new PointedCollection(pointers, COLLECTION, c -> {
            c.createIndex(Indexes.ascending("caseId"));
            // used on MongoDB for per-stream reads; the embedded test server ignores non-unique compound indexes
            c.createIndex(Indexes.ascending("caseId", "producedBy", "sequence"));
        });
    }

    /**
     * Stores events of the case file (a poll of the listener) in one unordered bulk write, each an upsert by event id:
     * the same event again overwrites it with the same content, so redelivery and concurrent writers change nothing.
     */
    public void upsertAll(List<TimelineEntry> entries) {
        upsertAll(collection.write(), entries);
    }

    /** Entries into a collection being rebuilt, written as by {@link #upsertAll(List)}. */
    public void upsertAllInto(String collectionName, List<TimelineEntry> entries) {
        if (!entries.isEmpty()) {
            upsertAll(collection.prepared(collectionName), entries);
        }
    }

    private static void upsertAll(MongoCollection<Document> into, List<TimelineEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, WriteModel<Document>> byEvent = new LinkedHashMap<>(); // an event read twice is written once
        for (TimelineEntry entry : entries) {
            byEvent.put(entry.eventId(), new ReplaceOneModel<>(Filters.eq("_id", entry.eventId()), document(entry),
                    new ReplaceOptions().upsert(true)));
        }
        into.bulkWrite(new ArrayList<>(byEvent.values()), new BulkWriteOptions().ordered(false));
    }

    private static Document document(TimelineEntry entry) {
        return new Document("_id", entry.eventId())
                .append("caseId", entry.caseId())
                .append("producedBy", entry.producedBy())
                .append("sequence", entry.sequence())
                .append("type", entry.type())
                .append("actor", entry.actor())
                .append("occurredAt", entry.occurredAt() == null ? null : entry.occurredAt().toString())
                .append("recordedAt", entry.recordedAt() == null ? null : entry.recordedAt().toString())
                .append("occurredKey", sortKey(entry.occurredAt()))
                .append("recordedKey", sortKey(entry.recordedAt()))
                .append("why", entry.why())
                .append("hash", entry.hash())
                .append("previousHash", entry.previousHash())
                .append("event", entry.event());
    }

    /**
     * The case's events in order.
     *
     * @param byRecorded false: by when each step happened, then when it was recorded, then the producer's sequence;
     *                   true: by when it was recorded, then the producer's sequence
     */
    public List<TimelineEntry> findByCase(String caseId, boolean byRecorded) {
        Bson sort = byRecorded
                ? Sorts.ascending("recordedKey", "sequence", "producedBy", "_id")
                : Sorts.ascending("occurredKey", "recordedKey", "sequence", "producedBy", "_id");
        List<TimelineEntry> out = new ArrayList<>();
        collection.read().find(Filters.eq("caseId", caseId)).sort(sort).forEach(d -> out.add(fromDocument(d)));
        return out;
    }

    /** One producer's stream of a case as received, by the producer's sequence (duplicates of a sequence kept). */
    public List<TimelineEntry> findStream(String caseId, String producedBy) {
        List<TimelineEntry> out = new ArrayList<>();
        collection.read().find(Filters.eq("caseId", caseId)).forEach(d -> {
            if (producedBy.equals(d.getString("producedBy"))) {
                out.add(fromDocument(d));
            }
        });
        out.sort((a, b) -> a.sequence() != b.sequence() ? Long.compare(a.sequence(), b.sequence())
                : a.eventId().compareTo(b.eventId()));
        return out;
    }

    public long countByCase(String caseId) {
        return collection.read().countDocuments(Filters.eq("caseId", caseId));
    }

    /**
     * Hands every case's entries to {@code perCase}, one case at a time (entries in no particular order), reading the
     * whole log once. With {@code recordedUpTo}, only entries recorded at or before that instant.
     */
    public void forEachCase(Instant recordedUpTo, Consumer<List<TimelineEntry>> perCase) {
        Bson filter = recordedUpTo == null ? new Document() : Filters.lte("recordedKey", sortKey(recordedUpTo));
        List<TimelineEntry> current = new ArrayList<>();
        String caseId = null;
        for (Document d : collection.read().find(filter).sort(Sorts.ascending("caseId"))) {
            String id = d.getString("caseId");
            if (caseId != null && !caseId.equals(id)) {
                perCase.accept(current);
                current = new ArrayList<>();
            }
            caseId = id;
            current.add(fromDocument(d));
        }
        if (!current.isEmpty()) {
            perCase.accept(current);
        }
    }

    /** Number of entries in the live collection. */
    public long count() {
        return collection.read().countDocuments();
    }

    public String currentCollection() {
        return collection.currentName();
    }

    /** An empty collection for a rebuild, with the view's indexes. */
    public void prepareEmpty(String name) {
        collection.prepared(name).deleteMany(new Document());
    }

    /** Makes {@code name} the live collection; answers the one it replaced. */
    public String switchTo(String name) {
        return collection.switchTo(name);
    }

    public void drop(String name) {
        collection.drop(name);
    }

    public List<Document> contents(String name) {
        return collection.contents(name);
    }

    static String sortKey(Instant instant) {
        return instant == null ? "" : SORT_KEY.format(instant);
    }

    private static TimelineEntry fromDocument(Document d) {
        return new TimelineEntry(d.getString("_id"), d.getString("caseId"), d.getString("producedBy"),
                ((Number) d.get("sequence")).longValue(), d.getString("type"), d.getString("actor"),
                instant(d.getString("occurredAt")), instant(d.getString("recordedAt")), d.getString("why"),
                d.getString("hash"), d.getString("previousHash"), d.getString("event"));
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
