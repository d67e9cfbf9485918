package org.civharm.notification.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.civharm.notification.config.CivharmMongoProperties;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;
import org.civharm.notification.domain.DeliveryState;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox ({@code deliveries}), {@code _id} = {@code <alertId>:<transition>:<channel>}. A delivery is written before
 * anything is sent; the worker claims a due one atomically (pushing its next attempt out by a lease and stamping a
 * claim token), sends it, and records the outcome only if its claim still holds.
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

    /** Queues a delivery unless one with the same id exists; true when this call queued it. */
    public boolean insertIfAbsent(Delivery d) {
        return Docs.insertIfAbsent(collection, toDocument(d, null));
    }

    /** A delivery claimed for one attempt, with the token its outcome must be recorded with. */
    public record Claim(Delivery delivery, String token) {
    }

    /** Claims the PENDING delivery whose next attempt is the earliest at or before {@code now}, if any. */
    public Optional<Claim> claimNext(Instant now, Duration lease) {
        String token = UUID.randomUUID().toString();
        Document filter = new Document("state", DeliveryState.PENDING.name())
                .append("nextAttemptAt", new Document("$lte", Docs.date(now)));
        Document update = new Document("$set", new Document("nextAttemptAt", Docs.date(now.plus(lease)))
                .append("claimToken", token));
        Document before = collection.findOneAndUpdate(filter, update, new FindOneAndUpdateOptions()
                .sort(Sorts.ascending("nextAttemptAt")).returnDocument(ReturnDocument.BEFORE));
        return Optional.ofNullable(before).map(d -> new Claim(fromDocument(d), token));
    }

    /** Records the outcome of a claimed attempt; false when the claim was lost (lease expired and re-claimed). */
    public boolean record(Claim claim, Delivery outcome) {
        return collection.replaceOne(new Document("_id", outcome.id()).append("claimToken", claim.token()),
                toDocument(outcome, null)).getMatchedCount() == 1;
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
