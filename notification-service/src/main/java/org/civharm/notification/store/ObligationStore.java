package org.civharm.notification.store;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.civharm.notification.domain.Obligation;
import org.civharm.notification.domain.ObligationState;
import org.civharm.notification.domain.PolicyKind;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Obligations ({@code obligations}), {@code _id} = {@code <caseId>:<policy>:<startingEventId>}. Created by insert
 * (a second insert of the same id does nothing) and changed only by a replace conditional on the version read, so
 * concurrent or repeated writers cannot undo each other's transitions (no Mongo transactions are needed).
 */
@Repository
public class ObligationStore {

    public static final String COLLECTION = "obligations";

    private final PointedCollection collection;
    private final ViewChanges changes;

    public ObligationStore(ViewPointers pointers, ViewChanges changes) {
        this.collection = new PointedCollection(pointers, COLLECTION, c -> {
            c.createIndex(Indexes.ascending("caseId"));
            c.createIndex(Indexes.ascending("state"));
            // serves the versioned replace: the embedded Mongo-wire server uses an index only for a query on exactly
            // its fields, and without it every write scanned the whole collection (redundant on MongoDB)
            c.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true).name("_id_version"));
        });
        this.changes = changes;
    }

    public boolean insertIfAbsent(Obligation o) {
        changes.touched(o.caseId());
        return Docs.insertIfAbsent(collection.write(), toDocument(o));
    }

    /** Writes {@code next} if the stored version is still {@code next.version() - 1}; false otherwise. */
    public boolean replace(Obligation next) {
        changes.touched(next.caseId());
        return collection.write().replaceOne(Docs.idAndVersion(next.id(), next.version() - 1), toDocument(next))
                .getMatchedCount() == 1;
    }

    /** Writes one obligation of a collection being rebuilt (idempotent: replaces by id). */
    public void rebuildInto(String target, Obligation o) {
        collection.prepared(target).replaceOne(new Document("_id", o.id()), toDocument(o),
                new ReplaceOptions().upsert(true));
    }

    /** Case ids with at least one obligation in the live collection. */
    public List<String> caseIds() {
        List<String> ids = new ArrayList<>();
        collection.read().distinct("caseId", String.class).forEach(ids::add);
        return ids;
    }

    public String currentCollection() {
        return collection.currentName();
    }

    public void prepareEmpty(String name) {
        collection.prepareEmpty(name);
    }

    public String switchTo(String name) {
        return collection.switchTo(name);
    }

    public void drop(String name) {
        collection.drop(name);
    }

    public List<Document> contents(String name) {
        return collection.contents(name);
    }

    public Optional<Obligation> find(String id) {
        // writers read what they replace: the pointer as it is now, not as cached for readers
        return Optional.ofNullable(collection.write().find(new Document("_id", id)).first()).map(ObligationStore::fromDocument);
    }

    /** The stored obligations among {@code ids} (an id with none is left out). */
    public List<Obligation> findByIds(Collection<String> ids) {
        List<Obligation> out = new ArrayList<>();
        if (!ids.isEmpty()) {
            collection.write().find(new Document("_id", new Document("$in", List.copyOf(ids))))
                    .forEach(d -> out.add(fromDocument(d)));
        }
        return out;
    }

    public List<Obligation> findByCase(String caseId) {
        return list(new Document("caseId", caseId));
    }

    /** PENDING obligations whose due date is at or before {@code now}. */
    public List<Obligation> findPendingDueBy(Instant now) {
        return list(new Document("state", ObligationState.PENDING.name()).append("dueAt", new Document("$lte", Docs.date(now))));
    }

    /** OVERDUE obligations whose alert is not written yet (normally none: only after a crash in between). */
    public List<Obligation> findOverdueWithoutAlert() {
        return list(new Document("state", ObligationState.OVERDUE.name()).append("alertRaised", false));
    }

    public Page<Obligation> search(ObligationState state, String caseId, PolicyKind policy, int page, int size) {
        Document filter = new Document();
        if (state != null) {
            filter.append("state", state.name());
        }
        if (caseId != null) {
            filter.append("caseId", caseId);
        }
        if (policy != null) {
            filter.append("policy", policy.wireName());
        }
        long total = collection.read().countDocuments(filter);
        List<Obligation> items = new ArrayList<>();
        collection.read().find(filter).sort(Sorts.ascending("dueAt", "_id")).skip(page * size).limit(size)
                .forEach(d -> items.add(fromDocument(d)));
        return new Page<>(items, page, size, total);
    }

    public long countByState(ObligationState state) {
        return collection.read().countDocuments(new Document("state", state.name()));
    }

    /** The earliest due date among OVERDUE obligations. */
    public Optional<Instant> oldestOverdueDueAt() {
        return Optional.ofNullable(collection.read().find(new Document("state", ObligationState.OVERDUE.name()))
                .sort(Sorts.ascending("dueAt")).limit(1).first()).map(d -> Docs.instant(d, "dueAt"));
    }

    private List<Obligation> list(Document filter) {
        List<Obligation> out = new ArrayList<>();
        collection.write().find(filter).sort(Sorts.ascending("dueAt", "_id")).forEach(d -> out.add(fromDocument(d)));
        return out;
    }

    static Document toDocument(Obligation o) {
        return new Document("_id", o.id())
                .append("caseId", o.caseId())
                .append("policy", o.policy().wireName())
                .append("subjectId", o.subjectId())
                .append("awaited", o.awaited())
                .append("startedBy", Docs.factRef(o.start()))
                .append("dueAt", Docs.date(o.dueAt()))
                .append("state", o.state().name())
                .append("createdAt", Docs.date(o.createdAt()))
                .append("overdueAt", Docs.date(o.overdueAt()))
                .append("closedBy", Docs.factRef(o.closedBy()))
                .append("closedAt", Docs.date(o.closedAt()))
                .append("reason", o.reason())
                .append("alertRaised", o.alertRaised())
                .append("version", o.version());
    }

    static Obligation fromDocument(Document d) {
        return new Obligation(d.getString("_id"), d.getString("caseId"),
                PolicyKind.ofWireName(d.getString("policy")).orElseThrow(), d.getString("subjectId"),
                d.getString("awaited"), Docs.factRef(d, "startedBy"), Docs.instant(d, "dueAt"),
                ObligationState.valueOf(d.getString("state")), Docs.instant(d, "createdAt"), Docs.instant(d, "overdueAt"),
                Docs.factRef(d, "closedBy"), Docs.instant(d, "closedAt"), d.getString("reason"),
                Boolean.TRUE.equals(d.getBoolean("alertRaised")), d.get("version", Number.class).longValue());
    }
}
