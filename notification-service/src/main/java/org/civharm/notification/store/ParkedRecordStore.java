package org.civharm.notification.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.civharm.notification.config.CivharmMongoProperties;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sequenced dead letters ({@code parked_records}): records set aside whole, {@code _id} =
 * {@code <topic>:<partition>:<offset>}, so setting a redelivered record aside again changes nothing.
 * <ul>
 *   <li>{@link Status#PARKED}: could not be read (the poison record); it holds its case;</li>
 *   <li>{@link Status#HELD}: a later record of a held case (same record key), set aside unread behind the first;</li>
 *   <li>{@link Status#APPLIED}: applied by a retry, once nothing was ahead of it any more;</li>
 *   <li>{@link Status#DISCARDED}: a poison record an operator decided not to apply (who, when, why).</li>
 * </ul>
 * A case is held while it has a PARKED or HELD record; the hold lives here, in Mongo, so every instance and every
 * restart sees it. {@code position} orders a case's dead letters: a per-case counter ({@code parked_record_cases})
 * taken when the record is set aside, i.e. the order this service consumed them. Within one topic that is offset
 * order (one case is one partition of each topic); between the two topics there is no order but that one.
 * Records parked before dead letters were sequenced have no status or position: they read as PARKED, first.
 */
@Repository
public class ParkedRecordStore {

    static final String COLLECTION = "parked_records";
    static final String COUNTERS = "parked_record_cases";
    private static final List<String> CLOSED = List.of(Status.APPLIED.name(), Status.DISCARDED.name());

    /** Where a dead letter stands. */
    public enum Status {
        PARKED, HELD, APPLIED, DISCARDED
    }

    private final MongoCollection<Document> collection;
    private final MongoCollection<Document> counters;

    public ParkedRecordStore(MongoClient client, CivharmMongoProperties mongo) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
        this.counters = client.getDatabase(mongo.database()).getCollection(COUNTERS);
        collection.createIndex(Indexes.ascending("key"));
    }

    /**
     * One dead letter.
     *
     * @param heldBehind    set aside because an earlier record of its case was (not for what it holds itself)
     * @param reason        why it could not be read, or which record it was held behind
     * @param position      its place among its case's dead letters
     * @param closedBy      who discarded it ({@code notification-service} for a retry that applied it)
     */
    public record ParkedRecord(String id, String topic, int partition, long offset, String key, String value,
                               Map<String, String> headers, String reason, Instant parkedAt, Status status,
                               boolean heldBehind, long position, String closedBy, Instant closedAt,
                               String discardReason) {
    }

    /** One case's dead letters, counted. */
    public record CaseSummary(String caseId, boolean holding, long parked, long held, long applied, long discarded,
                              Instant firstParkedAt) {
    }

    /** Sets a record aside unless it already is; true when this call did. */
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
                .append("parkedAt", Docs.date(record.parkedAt()))
                .append("status", record.status().name())
                .append("heldBehind", record.heldBehind())
                .append("position", record.position()));
    }

    /** The next position among a case's dead letters (atomic, so several instances never share one). */
    public long nextPosition(String caseId) {
        Document counter = counters.findOneAndUpdate(new Document("_id", caseId),
                new Document("$inc", new Document("next", 1L)),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return counter.get("next", Number.class).longValue();
    }

    public boolean exists(String id) {
        return collection.find(new Document("_id", id)).limit(1).first() != null;
    }

    /** Whether the case is held: it has a PARKED or HELD record. */
    public boolean holds(String caseId) {
        return collection.find(new Document("key", caseId).append("status", new Document("$nin", CLOSED)))
                .limit(1).first() != null;
    }

    /** The case's PARKED and HELD records, in order. */
    public List<ParkedRecord> open(String caseId) {
        return list(new Document("key", caseId).append("status", new Document("$nin", CLOSED)));
    }

    /** All of the case's dead letters, in order. */
    public List<ParkedRecord> ofCase(String caseId) {
        return list(new Document("key", caseId));
    }

    /** The dead letters of each of these cases, in order, by one query; a case with none is absent. */
    public Map<String, List<ParkedRecord>> ofCases(java.util.Collection<String> caseIds) {
        Map<String, List<ParkedRecord>> out = new HashMap<>();
        if (!caseIds.isEmpty()) {
            for (ParkedRecord r : list(new Document("key", new Document("$in", new ArrayList<>(caseIds))))) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r); // list() has sorted them already
            }
        }
        return out;
    }

    public java.util.Optional<ParkedRecord> find(String id) {
        return java.util.Optional.ofNullable(collection.find(new Document("_id", id)).first()).map(ParkedRecordStore::of);
    }

    /** Applied by a retry; false if it was no longer in {@code expected} (another retry got there first). */
    public boolean markApplied(String id, Status expected, Instant at) {
        return transition(id, expected, new Document("status", Status.APPLIED.name())
                .append("closedBy", "notification-service").append("closedAt", Docs.date(at)));
    }

    /** A HELD record that cannot be read either: it is now the poison record of its case. */
    public boolean markParked(String id, Status expected, String reason) {
        return transition(id, expected, new Document("status", Status.PARKED.name()).append("reason", reason));
    }

    public boolean discard(String id, String by, Instant at, String reason) {
        return transition(id, Status.PARKED, new Document("status", Status.DISCARDED.name()).append("closedBy", by)
                .append("closedAt", Docs.date(at)).append("discardReason", reason));
    }

    private boolean transition(String id, Status expected, Document set) {
        Document filter = new Document("_id", id).append("status", expected.name());
        if (collection.updateOne(filter, new Document("$set", set)).getMatchedCount() == 1) {
            return true;
        }
        // records parked before dead letters were sequenced have no status and count as PARKED
        return expected == Status.PARKED && collection.updateOne(new Document("_id", id).append("status", null),
                new Document("$set", set)).getMatchedCount() == 1;
    }

    /** Each dead letter's status by id (a rebuild applies none that is parked, held or discarded). */
    public Map<String, Status> statuses() {
        Map<String, Status> out = new HashMap<>();
        collection.find().projection(new Document("status", 1)).forEach(d -> out.put(d.getString("_id"), status(d)));
        return out;
    }

    /** Cases with dead letters, by case id, counted; {@code holding} keeps only cases held (or not) right now. */
    public Page<CaseSummary> cases(Boolean holding, int page, int size) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Instant> first = new HashMap<>();
        collection.find(new Document("key", new Document("$ne", null)))
                .projection(new Document("key", 1).append("status", 1).append("parkedAt", 1)).forEach(d -> {
                    long[] c = counts.computeIfAbsent(d.getString("key"), k -> new long[4]);
                    c[status(d).ordinal()]++;
                    Instant at = Docs.instant(d, "parkedAt");
                    first.merge(d.getString("key"), at, (a, b) -> a == null ? b : b == null || a.isBefore(b) ? a : b);
                });
        List<CaseSummary> all = new ArrayList<>();
        counts.forEach((k, c) -> {
            CaseSummary s = new CaseSummary(k, c[0] + c[1] > 0, c[0], c[1], c[2], c[3], first.get(k));
            if (holding == null || s.holding() == holding) {
                all.add(s);
            }
        });
        int from = (int) Math.min(all.size(), (long) page * size);
        return new Page<>(all.subList(from, Math.min(all.size(), from + size)), page, size, all.size());
    }

    public Page<ParkedRecord> list(int page, int size) {
        long total = collection.countDocuments();
        List<ParkedRecord> items = new ArrayList<>();
        collection.find().sort(Sorts.ascending("parkedAt", "_id")).skip(page * size).limit(size)
                .forEach(d -> items.add(of(d)));
        return new Page<>(items, page, size, total);
    }

    public long count() {
        return collection.countDocuments();
    }

    private List<ParkedRecord> list(Document filter) {
        List<ParkedRecord> out = new ArrayList<>();
        collection.find(filter).forEach(d -> out.add(of(d)));
        out.sort(java.util.Comparator.comparingLong(ParkedRecord::position).thenComparing(ParkedRecord::parkedAt,
                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())).thenComparing(ParkedRecord::id));
        return out;
    }

    private static Status status(Document d) {
        String s = d.getString("status");
        return s == null ? Status.PARKED : Status.valueOf(s);
    }

    private static ParkedRecord of(Document d) {
        Map<String, String> h = new TreeMap<>();
        d.getList("headers", Document.class, List.of()).forEach(x -> h.put(x.getString("name"), x.getString("value")));
        Number position = d.get("position", Number.class);
        return new ParkedRecord(d.getString("_id"), d.getString("topic"), d.get("partition", Number.class).intValue(),
                d.get("offset", Number.class).longValue(), d.getString("key"), d.getString("value"), h,
                d.getString("reason"), Docs.instant(d, "parkedAt"), status(d),
                Boolean.TRUE.equals(d.getBoolean("heldBehind")), position == null ? 0 : position.longValue(),
                d.getString("closedBy"), Docs.instant(d, "closedAt"), d.getString("discardReason"));
    }
}
