package org.civharm.accountability.views;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The case file: every event of a case from both contexts (intake and assessment, accountability), as read from the
 * two Kafka topics, in the {@code timeline} collection. One document per event id, written by an upsert of the same
 * content, so a redelivered or replayed record changes nothing.
 * <p>
 * Times are kept as published (ISO-8601) and as fixed-width sort keys (nanosecond precision, UTC), since ISO strings
 * with a varying number of fraction digits do not sort as text.
 */
@Repository
public class TimelineRepository {

    static final String COLLECTION = "timeline";
    private static final DateTimeFormatter SORT_KEY =
            DateTimeFormatter.ofPattern("uuuuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private final MongoCollection<Document> collection;

    public TimelineRepository(MongoClient client, CivharmMongoProperties mongo) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
        collection.createIndex(Indexes.ascending("caseId"));
    }

    /** Stores one event of the case file; the same event again overwrites it with the same content. */
    public void upsert(TimelineEntry entry) {
        Document doc = new Document("_id", entry.eventId())
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
                .append("event", entry.event());
        collection.replaceOne(Filters.eq("_id", entry.eventId()), doc, new ReplaceOptions().upsert(true));
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
        collection.find(Filters.eq("caseId", caseId)).sort(sort).forEach(d -> out.add(fromDocument(d)));
        return out;
    }

    public long countByCase(String caseId) {
        return collection.countDocuments(Filters.eq("caseId", caseId));
    }

    private static String sortKey(Instant instant) {
        return instant == null ? "" : SORT_KEY.format(instant);
    }

    private static TimelineEntry fromDocument(Document d) {
        return new TimelineEntry(d.getString("_id"), d.getString("caseId"), d.getString("producedBy"),
                ((Number) d.get("sequence")).longValue(), d.getString("type"), d.getString("actor"),
                instant(d.getString("occurredAt")), instant(d.getString("recordedAt")), d.getString("why"),
                d.getString("event"));
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
