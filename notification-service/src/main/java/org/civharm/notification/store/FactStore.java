package org.civharm.notification.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
import org.civharm.notification.api.CaseFact;
import org.civharm.notification.api.FactKind;
import org.civharm.notification.config.CivharmMongoProperties;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of other services that matter to obligations ({@code case_facts}), one document per event with
 * {@code _id} = the event id: a redelivered or replayed record finds its document there and adds nothing.
 */
@Repository
public class FactStore {

    static final String COLLECTION = "case_facts";

    private final MongoCollection<Document> collection;

    public FactStore(MongoClient client, CivharmMongoProperties mongo) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
        collection.createIndex(Indexes.ascending("caseId"));
    }

    /**
     * @param source where it was read, e.g. {@code civharm.incident.events.v1/3@42}
     * @return true when the fact is new
     */
    public boolean insertIfAbsent(CaseFact fact, String source, Instant now) {
        Document doc = new Document("_id", fact.eventId())
                .append("caseId", fact.caseId())
                .append("producer", fact.producer())
                .append("sequence", fact.sequence())
                .append("kind", fact.kind().name())
                .append("eventType", fact.kind().eventType())
                .append("occurredAt", Docs.date(fact.occurredAt()))
                .append("subjectId", fact.subjectId())
                .append("responseDueOn", fact.responseDueOn() == null ? null : fact.responseDueOn().toString())
                .append("source", source)
                .append("receivedAt", Docs.date(now));
        return Docs.insertIfAbsent(collection, doc);
    }

    public List<CaseFact> findByCase(String caseId) {
        List<CaseFact> facts = new ArrayList<>();
        collection.find(new Document("caseId", caseId)).forEach(d -> facts.add(new CaseFact(
                d.getString("_id"), d.getString("caseId"), d.getString("producer"), d.get("sequence", Number.class).longValue(),
                FactKind.valueOf(d.getString("kind")), Docs.instant(d, "occurredAt"), d.getString("subjectId"),
                d.getString("responseDueOn") == null ? null : LocalDate.parse(d.getString("responseDueOn")))));
        return facts;
    }

    public List<String> caseIds() {
        List<String> ids = new ArrayList<>();
        collection.distinct("caseId", String.class).forEach(ids::add);
        return ids;
    }

    public long count() {
        return collection.countDocuments();
    }
}
