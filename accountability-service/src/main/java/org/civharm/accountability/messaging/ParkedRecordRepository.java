package org.civharm.accountability.messaging;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Repository;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sequenced dead letters ({@code parked_records}): Kafka records set aside whole, one document per
 * topic/partition/offset ({@code _id}), so setting a redelivered record aside again changes nothing.
 * <ul>
 *   <li>{@link Status#PARKED}: could not be read (malformed JSON, unknown event type, a newer contract version, an
 *       envelope contradicting itself): the poison record. It holds its case (the record key);</li>
 *   <li>{@link Status#HELD}: a later record of a held case, set aside unread behind the first open one
 *       ({@code heldBehind});</li>
 *   <li>{@link Status#APPLIED}: applied by a retry once nothing unreadable was ahead of it;</li>
 *   <li>{@link Status#DISCARDED}: a poison record an operator decided not to apply (who, when, why).</li>
 * </ul>
 * A case is held while it has a PARKED or HELD record. The hold lives here, in MongoDB, so it survives restarts and
 * every instance sees it.
 * <p>
 * Order of a case's dead letters ({@code position}): a per-case counter ({@code parked_record_cases}) taken when the
 * record is set aside, i.e. the order the service consumed them. A case is one partition of each topic, so within a
 * topic this is offset order; between the two topics (incident and accountability events of one case) Kafka defines
 * no order, and the order of consumption is the only one there is — the same order the live listener applied the
 * case's other records in. Ties (records parked before positions existed) fall back to topic, partition, offset.
 */
@Repository
public class ParkedRecordRepository {

    static final String COLLECTION = "parked_records";
    static final String COUNTERS = "parked_record_cases";
    /** Values above this size are cut in the parked copy (the broker refuses far smaller records by default). */
    static final int MAX_VALUE_CHARS = 4_000_000;
    private static final Logger log = LoggerFactory.getLogger(ParkedRecordRepository.class);
    private static final Comparator<DeadLetter> ORDER = Comparator.comparingLong(DeadLetter::position)
            .thenComparing(DeadLetter::topic).thenComparingInt(DeadLetter::partition)
            .thenComparingLong(DeadLetter::offset);

    /** Where a dead letter stands. */
    public enum Status {
        PARKED, HELD, APPLIED, DISCARDED;

        /** Whether it still holds its case. */
        public boolean open() {
            return this == PARKED || this == HELD;
        }
    }

    /**
     * One dead letter.
     *
     * @param error          why it could not be read (PARKED, or a HELD record that failed on a retry); null for a
     *                       record held unread
     * @param heldBehind     the id of the record it was held behind, if it was set aside for its case's sake
     * @param position       its place among its case's dead letters
     * @param closedBy       who discarded it, or {@code accountability-service} for a retry that applied it
     */
    public record DeadLetter(String id, String topic, int partition, long offset, String key,
                             Map<String, String> headers, String value, boolean valueTruncated, Status status,
                             String error, String heldBehind, long position, Instant parkedAt, Instant closedAt,
                             String closedBy, String discardReason, Instant lastRetriedAt) {
    }

    /** One case's dead letters, counted. */
    public record CaseSummary(String caseId, boolean holding, long parked, long held, long applied, long discarded,
                              Instant firstParkedAt) {
    }

    private final MongoCollection<Document> collection;
    private final MongoCollection<Document> counters;
    private final Clock clock;
    private final Counter parkedCounter;

    public ParkedRecordRepository(MongoClient client, CivharmMongoProperties mongo, Clock clock, MeterRegistry meters) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
        this.counters = client.getDatabase(mongo.database()).getCollection(COUNTERS);
        this.clock = clock;
        this.parkedCounter = Counter.builder("civharm.kafka.parked.records")
                .description("Kafka records parked because they could not be read").register(meters);
        // the hold check runs for every record: an equality query on exactly this field uses the index, even on the
        // embedded server
        collection.createIndex(Indexes.ascending("key"));
    }

    /** The dead-letter id of a record: topic, partition, offset. */
    public static String idOf(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "-" + record.offset();
    }

    /** Whether the record was set aside already (a redelivery). */
    public boolean contains(String id) {
        return collection.find(Filters.eq("_id", id)).projection(new Document("_id", 1)).first() != null;
    }

    /**
     * Parks an unreadable record: it now holds its case. Throws if MongoDB is unreachable (the record is retried).
     *
     * @return false if it was parked already
     */
    public boolean park(ConsumerRecord<?, ?> record, String error) {
        boolean added = insert(record, Status.PARKED, error, null);
        if (added) {
            parkedCounter.increment();
            log.warn("parked unreadable record {} (key {}{}): {}", idOf(record), record.key(),
                    record.key() == null ? "" : ", case held", error);
        }
        return added;
    }

    /** Sets a record of a held case aside, unread, behind {@code behindId}; false if it was set aside already. */
    public boolean hold(ConsumerRecord<?, ?> record, String behindId) {
        boolean added = insert(record, Status.HELD, null, behindId);
        if (added) {
            log.info("record {} held behind {} (case {})", idOf(record), behindId, record.key());
        }
        return added;
    }

    private boolean insert(ConsumerRecord<?, ?> record, Status status, String error, String behindId) {
        String id = idOf(record);
        if (contains(id)) {
            return false;
        }
        String key = record.key() == null ? null : String.valueOf(record.key());
        // a gap in positions (a crash between the two writes) is harmless: only the order counts
        long position = key == null ? 0 : nextPosition(key);
        String value = record.value() == null ? null : String.valueOf(record.value());
        boolean cut = value != null && value.length() > MAX_VALUE_CHARS;
        List<Document> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            // as a list: header names may hold characters that are not allowed in field names ('.', '$')
            headers.add(new Document("name", h.key())
                    .append("value", h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
        }
        Document doc = new Document("_id", id)
                .append("topic", record.topic())
                .append("partition", record.partition())
                .append("offset", record.offset())
                .append("key", key)
                .append("headers", headers)
                .append("value", cut ? value.substring(0, MAX_VALUE_CHARS) : value)
                .append("valueTruncated", cut)
                .append("status", status.name())
                .append("error", error)
                .append("heldBehind", behindId)
                .append("position", position)
                .append("parkedAt", Date.from(clock.instant()));
        try {
            collection.insertOne(doc);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false; // set aside meanwhile (a redelivery on another instance)
            }
            throw e;
        }
    }

    /** The next position among a case's dead letters (atomic: several instances never share one). */
    private long nextPosition(String caseId) {
        Document counter = counters.findOneAndUpdate(Filters.eq("_id", caseId), Updates.inc("next", 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return counter.get("next", Number.class).longValue();
    }

    /** All of a case's dead letters, in order. */
    public List<DeadLetter> ofCase(String caseId) {
        List<DeadLetter> out = new ArrayList<>();
        // filter on the key alone (the index's exact fields); status is checked here
        collection.find(Filters.eq("key", caseId)).forEach(d -> out.add(of(d)));
        out.sort(ORDER);
        return out;
    }

    /** The dead letters of each of these cases, in order, by one query; a case with none is absent. */
    public Map<String, List<DeadLetter>> ofCases(java.util.Collection<String> caseIds) {
        Map<String, List<DeadLetter>> out = new HashMap<>();
        if (caseIds.isEmpty()) {
            return out;
        }
        collection.find(Filters.in("key", caseIds)).forEach(d -> {
            DeadLetter letter = of(d);
            out.computeIfAbsent(letter.key(), k -> new ArrayList<>()).add(letter);
        });
        out.values().forEach(letters -> letters.sort(ORDER));
        return out;
    }

    /** The case's PARKED and HELD records, in order: empty when the case is not held. */
    public List<DeadLetter> open(String caseId) {
        return ofCase(caseId).stream().filter(d -> d.status().open()).toList();
    }

    /** The first record the case is held behind, if it is held. */
    public Optional<DeadLetter> firstOpen(String caseId) {
        return open(caseId).stream().findFirst();
    }

    public Optional<DeadLetter> find(String id) {
        return Optional.ofNullable(collection.find(Filters.eq("_id", id)).first()).map(ParkedRecordRepository::of);
    }

    /** Applied by a retry; false if it was no longer {@code expected} (another retry got there first). */
    public boolean markApplied(String id, Status expected, Instant at) {
        return transition(id, expected, Updates.combine(Updates.set("status", Status.APPLIED.name()),
                Updates.set("closedBy", DeadLetters.ACTOR), Updates.set("closedAt", Date.from(at))));
    }

    /** A retry could not read it (again): the reason now, and when it was tried. */
    public boolean markUnreadable(String id, Status expected, String error, Instant at) {
        return transition(id, expected, Updates.combine(Updates.set("status", Status.PARKED.name()),
                Updates.set("error", error), Updates.set("lastRetriedAt", Date.from(at))));
    }

    public boolean discard(String id, String by, Instant at, String reason) {
        return transition(id, Status.PARKED, Updates.combine(Updates.set("status", Status.DISCARDED.name()),
                Updates.set("closedBy", by), Updates.set("closedAt", Date.from(at)), Updates.set("discardReason", reason)));
    }

    private boolean transition(String id, Status expected, Bson update) {
        if (collection.updateOne(new Document("_id", id).append("status", expected.name()), update).getMatchedCount() == 1) {
            return true;
        }
        // records parked before dead letters were sequenced have no status and count as PARKED
        return expected == Status.PARKED
                && collection.updateOne(new Document("_id", id).append("status", null), update).getMatchedCount() == 1;
    }

    /** Each dead letter's status by id (a rebuild applies none that is parked, held or discarded). */
    public Map<String, Status> statuses() {
        Map<String, Status> out = new HashMap<>();
        collection.find().projection(new Document("status", 1)).forEach(d -> out.put(d.getString("_id"), status(d)));
        return out;
    }

    /** Cases with dead letters, by case id, counted; {@code holding} keeps only cases held (or not) right now. */
    public List<CaseSummary> cases(Boolean holding) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Instant> first = new HashMap<>();
        collection.find(Filters.ne("key", null))
                .projection(new Document("key", 1).append("status", 1).append("parkedAt", 1)).forEach(d -> {
                    String key = d.getString("key");
                    counts.computeIfAbsent(key, k -> new long[4])[status(d).ordinal()]++;
                    Instant at = instant(d, "parkedAt");
                    first.merge(key, at, (a, b) -> a == null ? b : b == null || a.isBefore(b) ? a : b);
                });
        List<CaseSummary> out = new ArrayList<>();
        counts.forEach((key, c) -> {
            CaseSummary s = new CaseSummary(key, c[0] + c[1] > 0, c[0], c[1], c[2], c[3], first.get(key));
            if (holding == null || s.holding() == holding) {
                out.add(s);
            }
        });
        return out;
    }

    /** The parked records of a topic, oldest offset first (for operators and tests). */
    public List<Document> findByTopic(String topic) {
        List<Document> out = new ArrayList<>();
        collection.find(Filters.eq("topic", topic)).sort(Sorts.ascending("partition", "offset")).into(out);
        return out;
    }

    public long count() {
        return collection.countDocuments();
    }

    private static Status status(Document d) {
        String s = d.getString("status");
        return s == null ? Status.PARKED : Status.valueOf(s);
    }

    private static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }

    private static DeadLetter of(Document d) {
        Map<String, String> headers = new LinkedHashMap<>();
        Object h = d.get("headers");
        if (h instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Document x) {
                    headers.put(x.getString("name"), x.getString("value"));
                }
            }
        } else if (h instanceof Document old) { // parked before headers were kept as a list
            old.forEach((k, v) -> headers.put(k, v == null ? null : String.valueOf(v)));
        }
        Number partition = d.get("partition", Number.class);
        Number offset = d.get("offset", Number.class);
        Number position = d.get("position", Number.class);
        return new DeadLetter(d.getString("_id"), d.getString("topic"), partition == null ? 0 : partition.intValue(),
                offset == null ? 0 : offset.longValue(), d.getString("key"), headers, d.getString("value"),
                Boolean.TRUE.equals(d.getBoolean("valueTruncated")), status(d), d.getString("error"),
                d.getString("heldBehind"), position == null ? 0 : position.longValue(), instant(d, "parkedAt"),
                instant(d, "closedAt"), d.getString("closedBy"), d.getString("discardReason"),
                instant(d, "lastRetriedAt"));
    }
}
