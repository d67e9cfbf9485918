package org.civharm.notification.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.civharm.notification.config.CivharmMongoProperties;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records that could not be read ({@code parked_records}), kept whole with the reason so they can be inspected and
 * replayed by hand; {@code _id} = {@code <topic>:<partition>:<offset>}, so parking a redelivered record again changes
 * nothing. The consumer moves on past a parked record.
 */
@Repository
public class ParkedRecordStore {

    static final String COLLECTION = "parked_records";

    private final MongoCollection<Document> collection;

    public ParkedRecordStore(MongoClient client, CivharmMongoProperties mongo) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
    }

    /** One parked record as listed by the API. */
    public record ParkedRecord(String id, String topic, int partition, long offset, String key, String value,
                               Map<String, String> headers, String reason, Instant parkedAt) {
    }

    public boolean park(ParkedRecord record) {
        return Docs.insertIfAbsent(collection, new Document("_id", record.id())
                .append("topic", record.topic())
                .append("partition", record.partition())
                .append("offset", record.offset())
                .append("key", record.key())
                .append("value", record.value())
                // as a list: header names may hold characters that are not safe in field names
                .append("headers", record.headers().entrySet().stream()
                        .map(h -> new Document("name", h.getKey()).append("value", h.getValue())).toList())
                .append("reason", record.reason())
                .append("parkedAt", Docs.date(record.parkedAt())));
    }

    public Page<ParkedRecord> list(int page, int size) {
        long total = collection.countDocuments();
        List<ParkedRecord> items = new ArrayList<>();
        collection.find().sort(Sorts.ascending("parkedAt", "_id")).skip(page * size).limit(size).forEach(d -> {
            Map<String, String> h = new java.util.TreeMap<>();
            d.getList("headers", Document.class, List.of()).forEach(x -> h.put(x.getString("name"), x.getString("value")));
            items.add(new ParkedRecord(d.getString("_id"), d.getString("topic"), d.get("partition", Number.class).intValue(),
                    d.get("offset", Number.class).longValue(), d.getString("key"), d.getString("value"), h,
                    d.getString("reason"), Docs.instant(d, "parkedAt")));
        });
        return new Page<>(items, page, size, total);
    }

    public long count() {
        return collection.countDocuments();
    }
}
