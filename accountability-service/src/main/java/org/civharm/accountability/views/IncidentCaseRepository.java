package org.civharm.accountability.views;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Repository;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Stores {@link IncidentCase} documents in {@code incident_cases}, one per case id, through the MongoDB Java driver.
 * Idempotent without transactions: an event is applied only if its envelope sequence is above the document's
 * {@code lastSequence}, and the write is conditional on the sequence read (a lost race is retried). The live
 * collection is named by a pointer ({@link ViewPointers}), so the view can be rebuilt from the topic.
 */
@Repository
public class IncidentCaseRepository {

    public static final String COLLECTION = "incident_cases";
    private static final int ATTEMPTS = 5;

    private final PointedCollection collection;
    private final ViewDocuments documents;

    public IncidentCaseRepository(ViewPointers pointers, ObjectMapper mapper) {
        this.collection = new PointedCollection(pointers, COLLECTION, c -> {
            c.createIndex(Indexes.ascending("operation"));
            c.createIndex(Indexes.ascending("incidentDate.from"));
            // serves the versioned replace: the embedded Mongo-wire server uses an index only for a query on exactly
            // its fields, and without it every write scanned the whole collection (redundant on MongoDB)
            c.createIndex(Indexes.ascending("_id", "lastSequence"),
                    new IndexOptions().unique(true).name("_id_lastSequence"));
        });
        this.documents = new ViewDocuments(mapper);
    }

    /** Applies one event of a case unless it was applied already; false if it had been applied before. */
    private boolean apply(MongoCollection<Document> into, String caseId, long sequence, Consumer<IncidentCase> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Document current = into.find(Filters.eq("_id", caseId)).first();
            IncidentCase c = current == null ? fresh(caseId) : fromDocument(current);
            if (c.lastSequence >= sequence) {
                return false; // at-least-once delivery: already applied
            }
            long expected = c.lastSequence;
            change.accept(c);
            c.lastSequence = sequence;
            if (current == null) {
                try {
                    into.insertOne(toDocument(c));
                    return true;
                } catch (MongoWriteException e) {
                    if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    continue; // created meanwhile: read again
                }
            }
            var result = into.replaceOne(
                    new Document("_id", caseId).append("lastSequence", expected), toDocument(c));
            if (result.getMatchedCount() == 1) {
                return true;
            }
        }
        throw new IllegalStateException("incident case " + caseId + " kept changing concurrently; retrying event " + sequence);
    }

    /** One event's change to a case, for {@link #applyAll} (live) and {@link #applyAllInto} (a rebuild). */
    public record CaseChange(String caseId, long sequence, Consumer<IncidentCase> change) {
    }

    /**
     * Changes, in their order, to the live copy (a poll of the listener), which another instance or a redelivery may
     * write at the same time: written as by {@link #applyAllInto}, one read and one bulk write for all of them. If any
     * write found its case changed or created meanwhile, the changes are applied again one at a time, and those
     * already written are skipped by their sequence. One read and one write per event before (2.0 requests per event
     * in benchmark run Y).
     */
    public void applyAll(List<CaseChange> changes) {
        MongoCollection<Document> into = collection.write();
        if (!writeAll(into, changes)) {
            for (CaseChange change : changes) {
                apply(into, change.caseId(), change.sequence(), change.change());
            }
        }
    }

    /**
     * Changes, in their order, to a collection being rebuilt, which nothing else writes before the rebuild's switch:
     * the cases read by one query, each change applied unless its sequence is at or below the case's, and each case
     * changed written once, in one bulk write (inserted, or replaced on the sequence read). Per event, a rebuild read
     * and wrote each case once per event (930 events/s in benchmark run Y).
     */
    public void applyAllInto(String collectionName, List<CaseChange> changes) {
        if (!writeAll(collection.prepared(collectionName), changes)) {
            throw new IllegalStateException("cases of " + collectionName + " changed while the rebuild wrote them");
        }
    }

    /** Folds and writes {@code changes} at once; false when a case was written by someone else in between. */
    private boolean writeAll(MongoCollection<Document> into, List<CaseChange> changes) {
        if (changes.isEmpty()) {
            return true;
        }
        Set<String> ids = new LinkedHashSet<>();
        changes.forEach(c -> ids.add(c.caseId()));
        Map<String, Long> storedAt = new HashMap<>();
        Map<String, IncidentCase> cases = new LinkedHashMap<>();
        into.find(Filters.in("_id", ids)).forEach(d -> {
            IncidentCase c = fromDocument(d);
            storedAt.put(c.caseId, c.lastSequence);
            cases.put(c.caseId, c);
        });
        Set<String> changed = new LinkedHashSet<>();
        for (CaseChange change : changes) {
            IncidentCase c = cases.computeIfAbsent(change.caseId(), IncidentCaseRepository::fresh);
            if (c.lastSequence >= change.sequence()) {
                continue; // applied already: at-least-once delivery
            }
            change.change().accept(c);
            c.lastSequence = change.sequence();
            changed.add(c.caseId);
        }
        List<WriteModel<Document>> writes = new ArrayList<>();
        for (String id : changed) {
            Long expected = storedAt.get(id);
            writes.add(expected == null ? new InsertOneModel<>(toDocument(cases.get(id)))
                    : new ReplaceOneModel<>(new Document("_id", id).append("lastSequence", expected),
                    toDocument(cases.get(id))));
        }
        if (writes.isEmpty()) {
            return true;
        }
        try {
            BulkWriteResult result = into.bulkWrite(writes, new BulkWriteOptions().ordered(false));
            return result.getMatchedCount() == writes.size() - result.getInsertedCount();
        } catch (MongoBulkWriteException e) {
            boolean onlyCreatedMeanwhile = e.getWriteErrors().stream()
                    .allMatch(w -> ErrorCategory.fromErrorCode(w.getCode()) == ErrorCategory.DUPLICATE_KEY);
            if (onlyCreatedMeanwhile && e.getWriteConcernError() == null) {
                return false;
            }
            throw e;
        }
    }

    public String currentCollection() {
        return collection.currentName();
    }

    /** An empty collection for a rebuild, with the view's indexes. */
    public void prepareEmpty(String name) {
        collection.prepared(name).deleteMany(new Document());
    }

    /** Makes {@code name} the live collection; answers the one it replaced. */
    public String switchTo(String name) {
        return collection.switchTo(name);
    }

    public void drop(String name) {
        collection.drop(name);
    }

    public List<Document> contents(String name) {
        return collection.contents(name);
    }

    public Optional<IncidentCase> findById(String caseId) {
        return Optional.ofNullable(collection.read().find(Filters.eq("_id", caseId)).first()).map(this::fromDocument);
    }

    /** The cases among {@code caseIds} this service knows, by case id. */
    public Map<String, IncidentCase> findAll(Collection<String> caseIds) {
        Map<String, IncidentCase> out = new LinkedHashMap<>();
        if (caseIds.isEmpty()) {
            return out;
        }
        collection.read().find(Filters.in("_id", caseIds)).forEach(d -> {
            IncidentCase c = fromDocument(d);
            out.put(c.caseId, c);
        });
        return out;
    }

    /**
     * Ids of the cases matching an operation (case-insensitive "contains" on literal text) and an incident date
     * range (a case matches when its date range overlaps the asked one). Null filters are not applied.
     */
    public Set<String> findIds(String operation, LocalDate from, LocalDate to) {
        List<Bson> filters = new ArrayList<>();
        if (operation != null) {
            filters.add(Filters.regex("operation", Pattern.compile(Pattern.quote(operation),
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
        }
        if (from != null) {
            filters.add(Filters.gte("incidentDate.to", from.toString()));
        }
        if (to != null) {
            filters.add(Filters.lte("incidentDate.from", to.toString()));
        }
        Bson filter = filters.isEmpty() ? new Document() : Filters.and(filters);
        Set<String> ids = new LinkedHashSet<>();
        collection.read().find(filter).projection(Projections.include("_id")).forEach(d -> ids.add(d.getString("_id")));
        return ids;
    }

    private static IncidentCase fresh(String caseId) {
        IncidentCase c = new IncidentCase();
        c.caseId = caseId;
        return c;
    }

    private Document toDocument(IncidentCase c) {
        return documents.toDocument(c, c.caseId);
    }

    private IncidentCase fromDocument(Document doc) {
        return documents.fromDocument(doc, IncidentCase.class);
    }
}
