package org.civharm.notification.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;
import org.civharm.notification.config.CivharmMongoProperties;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;
import org.civharm.notification.domain.DeliveryState;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox ({@code deliveries}), {@code _id} = {@code <alertId>:<transition>:<channel>}. A delivery is written before
 * anything is sent; the worker claims a batch of due ones (pushing their next attempt out by a lease and stamping a
 * claim token), sends them, and records each outcome only if its claim still holds.
 */
@Repository
public class DeliveryStore {

    static final String COLLECTION = "deliveries";

    private final MongoCollection<Document> collection;

    public DeliveryStore(MongoClient client, CivharmMongoProperties mongo) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
        // (state, nextAttemptAt): the worker's claim (PENDING, due, oldest first) reads one index entry instead of
        // sorting every pending delivery, which with a backlog of alerts took most of the store's time (full run P);
        // listings by state use its prefix. A database created before keeps its old {state: 1} index, unused.
        collection.createIndex(Indexes.ascending("state", "nextAttemptAt"));
        collection.createIndex(Indexes.ascending("alertId"));
    }

    /**
     * Queues deliveries (an alert's transitions on every channel) in one unordered insert, each unless one with the same
     * id exists; answers how many this call queued.
     */
    public int insertAllIfAbsent(List<Delivery> queued) {
        if (queued.isEmpty()) {
            return 0;
        }
        List<Document> docs = new ArrayList<>(queued.size());
        queued.forEach(d -> docs.add(toDocument(d, null)));
        try {
            collection.insertMany(docs, new InsertManyOptions().ordered(false));
            return docs.size();
        } catch (MongoBulkWriteException e) {
            boolean onlyQueuedBefore = e.getWriteConcernError() == null && e.getWriteErrors().stream()
                    .allMatch(w -> ErrorCategory.fromErrorCode(w.getCode()) == ErrorCategory.DUPLICATE_KEY);
            if (!onlyQueuedBefore) {
                throw e;
            }
            return docs.size() - e.getWriteErrors().size();
        }
    }

    /** A delivery claimed for one attempt, with the token its outcome must be recorded with. */
    public record Claim(Delivery delivery, String token) {
    }

    /**
     * Claims up to {@code limit} PENDING deliveries that are due at {@code now}, earliest first: their next attempt is
     * pushed out by the lease and they are stamped with one claim token. Three requests whatever the number claimed
     * (read the candidates' ids, claim them, read back the ones this token holds), where a claim per delivery cost one
     * request each. Safe against other workers: the claim matches each document only while it is still PENDING and
     * due, which on MongoDB is atomic per document, so a delivery another worker claimed in between is left out; the
     * read-back returns what the claim left, not what the first read saw.
     */
    public Claimed claimDue(Instant now, Duration lease, int limit) {
        Document due = new Document("state", DeliveryState.PENDING.name())
                .append("nextAttemptAt", new Document("$lte", Docs.date(now)));
        List<String> ids = new ArrayList<>();
        collection.find(due).sort(Sorts.ascending("nextAttemptAt")).limit(limit).projection(Projections.include("_id"))
                .forEach(d -> ids.add(d.getString("_id")));
        if (ids.isEmpty()) {
            return new Claimed(List.of(), false);
        }
        String token = UUID.randomUUID().toString();
        Document idIn = new Document("$in", ids);
        long claimed = collection.updateMany(new Document(due).append("_id", idIn),
                new Document("$set", new Document("nextAttemptAt", Docs.date(now.plus(lease)))
                        .append("claimToken", token))).getModifiedCount();
        boolean more = ids.size() == limit || claimed < ids.size(); // a full batch, or some taken by another worker
        if (claimed == 0) {
            return new Claimed(List.of(), more);
        }
        Map<String, Delivery> held = new HashMap<>();
        collection.find(new Document("_id", idIn).append("claimToken", token))
                .forEach(d -> held.put(d.getString("_id"), fromDocument(d)));
        List<Claim> claims = new ArrayList<>(held.size());
        for (String id : ids) { // the candidates' order: earliest due first
            Delivery delivery = held.get(id);
            if (delivery != null) {
                claims.add(new Claim(delivery, token));
            }
        }
        return new Claimed(claims, more);
    }

    /**
     * What one {@link #claimDue} took, earliest due first; {@code more} when more may be due now (the batch was full,
     * or another worker took some of the candidates).
     */
    public record Claimed(List<Claim> claims, boolean more) {
    }

    /** The outcome of one claimed attempt. */
    public record Outcome(Claim claim, Delivery delivery) {
    }

    /**
     * Records the outcomes of claimed attempts in one bulk write, each only if its claim still holds; returns how many
     * were not recorded because their claim was lost (the lease expired and another worker took the delivery).
     */
    public int recordAll(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        List<WriteModel<Document>> writes = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            writes.add(new ReplaceOneModel<>(new Document("_id", o.delivery().id())
                    .append("claimToken", o.claim().token()), toDocument(o.delivery(), null)));
        }
        int matched = collection.bulkWrite(writes, new BulkWriteOptions().ordered(false)).getMatchedCount();
        return outcomes.size() - matched;
    }

    /**
     * Gives claimed deliveries back unattempted (due at {@code now} again), where their claim still holds: used when
     * the worker ran out of lease before it reached them, so no other worker waits a whole lease for them.
     */
    public void release(List<Claim> claims, Instant now) {
        if (claims.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> writes = new ArrayList<>(claims.size());
        for (Claim c : claims) {
            writes.add(new UpdateOneModel<>(new Document("_id", c.delivery().id()).append("claimToken", c.token()),
                    new Document("$set", new Document("nextAttemptAt", Docs.date(now)).append("claimToken", null))));
        }
        collection.bulkWrite(writes, new BulkWriteOptions().ordered(false));
    }

    /** Replaces a delivery that is in the expected state (used for retries of dead letters). */
    public boolean replaceInState(Delivery next, DeliveryState expected) {
        return collection.replaceOne(new Document("_id", next.id()).append("state", expected.name()),
                toDocument(next, null)).getMatchedCount() == 1;
    }

    public Optional<Delivery> find(String id) {
        return Optional.ofNullable(collection.find(new Document("_id", id)).first()).map(DeliveryStore::fromDocument);
    }

    public Page<Delivery> search(DeliveryState state, String alertId, int page, int size) {
        Document filter = new Document();
        if (state != null) {
            filter.append("state", state.name());
        }
        if (alertId != null) {
            filter.append("alertId", alertId);
        }
        long total = collection.countDocuments(filter);
        List<Delivery> items = new ArrayList<>();
        collection.find(filter).sort(Sorts.ascending("createdAt", "_id")).skip(page * size).limit(size)
                .forEach(d -> items.add(fromDocument(d)));
        return new Page<>(items, page, size, total);
    }

    public long countByState(DeliveryState state) {
        return collection.countDocuments(new Document("state", state.name()));
    }

    public long count() {
        return collection.countDocuments();
    }

    static Document toDocument(Delivery d, String claimToken) {
        return new Document("_id", d.id())
                .append("alertId", d.alertId())
                .append("caseId", d.caseId())
                .append("transition", d.transition().name())
                .append("channel", d.channel())
                .append("eventId", d.eventId())
                .append("payload", d.payload())
                .append("state", d.state().name())
                .append("attempts", d.attempts())
                .append("createdAt", Docs.date(d.createdAt()))
                .append("nextAttemptAt", Docs.date(d.nextAttemptAt()))
                .append("lastAttemptAt", Docs.date(d.lastAttemptAt()))
                .append("lastError", d.lastError())
                .append("sentAt", Docs.date(d.sentAt()))
                .append("claimToken", claimToken);
    }

    static Delivery fromDocument(Document d) {
        return new Delivery(d.getString("_id"), d.getString("alertId"), d.getString("caseId"),
                AlertTransition.valueOf(d.getString("transition")), d.getString("channel"), d.getString("eventId"),
                d.getString("payload"), DeliveryState.valueOf(d.getString("state")),
                d.get("attempts", Number.class).intValue(), Docs.instant(d, "createdAt"),
                Docs.instant(d, "nextAttemptAt"), Docs.instant(d, "lastAttemptAt"), d.getString("lastError"),
                Docs.instant(d, "sentAt"));
    }
}
