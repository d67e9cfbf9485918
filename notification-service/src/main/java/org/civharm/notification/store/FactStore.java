package org.civharm.notification.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.civharm.notification.api.CaseFact;
import org.civharm.notification.api.FactKind;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of other services that matter to obligations ({@code case_facts}), one document per event with
 * {@code _id} = the event id: a redelivered or replayed record finds its document there and adds nothing.
 * <p>
 * A rebuildable view ({@code case-facts}): everything but {@code source} and {@code receivedAt} is read from the
 * record; those two say where and when this service first saw the event, which no log holds, so a rebuild carries
 * them over from the collection it replaces.
 */
@Repository
public class FactStore {

    public static final String COLLECTION = "case_facts";

    private final PointedCollection collection;
    private final ViewChanges changes;

    public FactStore(ViewPointers pointers, ViewChanges changes) {
        this.collection = new PointedCollection(pointers, COLLECTION, c -> c.createIndex(Indexes.ascending("caseId")));
        this.changes = changes;
    }

    /**
     * @param source where it was read, e.g. {@code civharm.incident.events.v1/3@42}
     * @return true when the fact is new
     */
    public boolean insertIfAbsent(CaseFact fact, String source, Instant now) {
        changes.touched(fact.caseId());
        return Docs.insertIfAbsent(collection.write(), toDocument(fact, source, now));
    }

    /**
     * Folds one fact into a collection being rebuilt: what the record says, plus where and when the live view first
     * saw it (or {@code source} and {@code now} if it never did). Idempotent.
     */
    public void rebuildInto(String target, CaseFact fact, String source, Instant now) {
        Document live = collection.read().find(new Document("_id", fact.eventId())).first();
        MongoCollection<Document> into = collection.prepared(target);
        if (live == null && into.find(new Document("_id", fact.eventId())).first() != null) {
            return; // the same event read twice (published twice): the first read wins, as in the live view
        }
        Document doc = toDocument(fact, live == null ? source : live.getString("source"),
                live == null ? now : Docs.instant(live, "receivedAt"));
        into.replaceOne(new Document("_id", fact.eventId()), doc, new ReplaceOptions().upsert(true));
    }

    private static Document toDocument(CaseFact fact, String source, Instant receivedAt) {
        return new Document("_id", fact.eventId())
                .append("caseId", fact.caseId())
                .append("producer", fact.producer())
                .append("sequence", fact.sequence())
                .append("kind", fact.kind().name())
                .append("eventType", fact.kind().eventType())
                .append("occurredAt", Docs.date(fact.occurredAt()))
                .append("subjectId", fact.subjectId())
                .append("responseDueOn", fact.responseDueOn() == null ? null : fact.responseDueOn().toString())
                .append("source", source)
                .append("receivedAt", Docs.date(receivedAt));
    }

    public List<CaseFact> findByCase(String caseId) {
        List<CaseFact> facts = new ArrayList<>();
        collection.write().find(new Document("caseId", caseId)).forEach(d -> facts.add(new CaseFact(
                d.getString("_id"), d.getString("caseId"), d.getString("producer"), d.get("sequence", Number.class).longValue(),
                FactKind.valueOf(d.getString("kind")), Docs.instant(d, "occurredAt"), d.getString("subjectId"),
                d.getString("responseDueOn") == null ? null : LocalDate.parse(d.getString("responseDueOn")))));
        return facts;
    }

    public List<String> caseIds() {
        List<String> ids = new ArrayList<>();
        collection.write().distinct("caseId", String.class).forEach(ids::add);
        return ids;
    }

    public long count() {
        return collection.read().countDocuments();
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
}
