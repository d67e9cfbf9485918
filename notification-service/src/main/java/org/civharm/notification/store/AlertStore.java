package org.civharm.notification.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.civharm.notification.config.CivharmMongoProperties;
import org.civharm.notification.domain.Alert;
import org.civharm.notification.domain.AlertHistoryEntry;
import org.civharm.notification.domain.AlertState;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.PolicyKind;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Alerts ({@code alerts}), {@code _id} = the obligation's id: the unique {@code _id} is what makes "one alert per
 * overdue obligation" hold across restarts, redeliveries and replays. Transitions are conditional replaces on the
 * version read. {@code outboxPending} marks alerts with transitions whose deliveries are not yet queued.
 */
@Repository
public class AlertStore {

    static final String COLLECTION = "alerts";
    private static final List<String> ACTIVE = List.of(AlertState.OPEN.name(), AlertState.ACKNOWLEDGED.name(),
            AlertState.ESCALATED.name());

    private final MongoCollection<Document> collection;

    public AlertStore(MongoClient client, CivharmMongoProperties mongo) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
        collection.createIndex(Indexes.ascending("state"));
        collection.createIndex(Indexes.ascending("caseId"));
        collection.createIndex(Indexes.ascending("outboxPending"));
        // serves the versioned replace: the embedded Mongo-wire server uses an index only for a query on exactly
        // its fields, and without it every write scanned the whole collection (redundant on MongoDB)
        collection.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true).name("_id_version"));
    }

    public boolean insertIfAbsent(Alert alert) {
        return Docs.insertIfAbsent(collection, toDocument(alert));
    }

    /** Writes {@code next} if the stored version is still {@code next.version() - 1}; false otherwise. */
    public boolean replace(Alert next) {
        return collection.replaceOne(Docs.idAndVersion(next.id(), next.version() - 1), toDocument(next))
                .getMatchedCount() == 1;
    }

    public Optional<Alert> find(String id) {
        return Optional.ofNullable(collection.find(new Document("_id", id)).first()).map(AlertStore::fromDocument);
    }

    public List<Alert> findByState(AlertState state) {
        return list(new Document("state", state.name()));
    }

    /** Ids of the OPEN, ACKNOWLEDGED and ESCALATED alerts, in id order (ids only: there may be many thousands). */
    public List<String> activeIds() {
        List<String> ids = new ArrayList<>();
        collection.find(new Document("state", new Document("$in", ACTIVE))).projection(new Document("_id", 1))
                .sort(Sorts.ascending("_id")).forEach(d -> ids.add(d.getString("_id")));
        return ids;
    }

    public List<Alert> findWithPendingOutbox() {
        return list(new Document("outboxPending", true));
    }

    public Page<Alert> search(AlertState state, String caseId, int page, int size) {
        Document filter = new Document();
        if (state != null) {
            filter.append("state", state.name());
        }
        if (caseId != null) {
            filter.append("caseId", caseId);
        }
        long total = collection.countDocuments(filter);
        List<Alert> items = new ArrayList<>();
        collection.find(filter).sort(Sorts.orderBy(Sorts.descending("raisedAt"), Sorts.ascending("_id")))
                .skip(page * size).limit(size).forEach(d -> items.add(fromDocument(d)));
        return new Page<>(items, page, size, total);
    }

    public long countActive() {
        return collection.countDocuments(new Document("state", new Document("$in", ACTIVE)));
    }

    public long count() {
        return collection.countDocuments();
    }

    private List<Alert> list(Document filter) {
        List<Alert> out = new ArrayList<>();
        collection.find(filter).sort(Sorts.ascending("_id")).forEach(d -> out.add(fromDocument(d)));
        return out;
    }

    static Document toDocument(Alert a) {
        List<Document> history = new ArrayList<>();
        for (AlertHistoryEntry h : a.history()) {
            history.add(new Document("sequence", h.sequence())
                    .append("transition", h.transition().name())
                    .append("from", h.from() == null ? null : h.from().name())
                    .append("to", h.to().name())
                    .append("at", Docs.date(h.at()))
                    .append("by", h.by())
                    .append("reason", h.reason())
                    .append("event", Docs.factRef(h.event())));
        }
        return new Document("_id", a.id())
                .append("caseId", a.caseId())
                .append("policy", a.policy().wireName())
                .append("awaited", a.awaited())
                .append("startedBy", Docs.factRef(a.start()))
                .append("dueAt", Docs.date(a.dueAt()))
                .append("state", a.state().name())
                .append("raisedAt", Docs.date(a.raisedAt()))
                .append("acknowledgedBy", a.acknowledgedBy())
                .append("acknowledgedAt", Docs.date(a.acknowledgedAt()))
                .append("acknowledgementComment", a.acknowledgementComment())
                .append("escalatedAt", Docs.date(a.escalatedAt()))
                .append("closedBy", Docs.factRef(a.closedBy()))
                .append("closedAt", Docs.date(a.closedAt()))
                .append("closeReason", a.closeReason())
                .append("history", history)
                .append("outbox", a.outbox().stream().map(Enum::name).sorted().toList())
                .append("outboxPending", !a.outbox().isEmpty())
                .append("version", a.version());
    }

    static Alert fromDocument(Document d) {
        List<AlertHistoryEntry> history = new ArrayList<>();
        for (Document h : d.getList("history", Document.class, List.of())) {
            history.add(new AlertHistoryEntry(h.get("sequence", Number.class).intValue(),
                    AlertTransition.valueOf(h.getString("transition")),
                    h.getString("from") == null ? null : AlertState.valueOf(h.getString("from")),
                    AlertState.valueOf(h.getString("to")), Docs.instant(h, "at"), h.getString("by"),
                    h.getString("reason"), Docs.factRef(h, "event")));
        }
        Set<AlertTransition> outbox = EnumSet.noneOf(AlertTransition.class);
        d.getList("outbox", String.class, List.of()).forEach(t -> outbox.add(AlertTransition.valueOf(t)));
        return new Alert(d.getString("_id"), d.getString("caseId"),
                PolicyKind.ofWireName(d.getString("policy")).orElseThrow(), d.getString("awaited"),
                Docs.factRef(d, "startedBy"), Docs.instant(d, "dueAt"), AlertState.valueOf(d.getString("state")),
                Docs.instant(d, "raisedAt"), d.getString("acknowledgedBy"), Docs.instant(d, "acknowledgedAt"),
                d.getString("acknowledgementComment"), Docs.instant(d, "escalatedAt"), Docs.factRef(d, "closedBy"),
                Docs.instant(d, "closedAt"), d.getString("closeReason"), history, outbox,
                d.get("version", Number.class).longValue());
    }
}
