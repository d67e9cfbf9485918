package org.civharm.accountability.views;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civharm.accountability.api.Stage;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Stores {@link AccountabilityRecordView} documents in the {@code accountability_records} collection through the
 * MongoDB Java driver. Writes are idempotent without transactions: an update is applied only if the event's sequence
 * number is above the document's {@code lastSequence}, and the replace is conditional on the version read. The live
 * collection is named by a pointer ({@link ViewPointers}), so the view can be rebuilt from the event store.
 */
@Repository
public class AccountabilityRecordRepository {

    public static final String COLLECTION = "accountability_records";

    private final PointedCollection collection;
    private final ViewDocuments documents;

    public AccountabilityRecordRepository(ViewPointers pointers, ObjectMapper mapper) {
        this.collection = new PointedCollection(pointers, COLLECTION, c -> {
            c.createIndex(Indexes.ascending("stage"));
            c.createIndex(Indexes.ascending("memberStates"));
            // serves the versioned replace: the embedded Mongo-wire server uses an index only for a query on exactly
            // its fields, and without it every write scanned the whole collection (redundant on MongoDB)
            c.createIndex(Indexes.ascending("_id", "lastSequence"),
                    new IndexOptions().unique(true).name("_id_lastSequence"));
        });
        this.documents = new ViewDocuments(mapper);
    }

    /** Creates the document of a newly opened record; a redelivered opening finds it there and does nothing. */
    void insertIfAbsent(AccountabilityRecordView view) {
        insertIfAbsent(collection.write(), view);
    }

    void insertIfAbsent(String into, AccountabilityRecordView view) {
        insertIfAbsent(collection.prepared(into), view);
    }

    private void insertIfAbsent(MongoCollection<Document> into, AccountabilityRecordView view) {
        view.derive();
        try {
            into.insertOne(toDocument(view));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /**
     * Applies one event to a record's document unless it was applied already.
     *
     * @throws IllegalStateException if the record's document does not exist (its opening was not projected), so the
     *                               tracking processor retries instead of losing the event
     */
    void update(String caseId, long sequence, Consumer<AccountabilityRecordView> change) {
        update(collection.write(), caseId, sequence, change);
    }

    void update(String into, String caseId, long sequence, Consumer<AccountabilityRecordView> change) {
        update(collection.prepared(into), caseId, sequence, change);
    }

    private void update(MongoCollection<Document> into, String caseId, long sequence,
                        Consumer<AccountabilityRecordView> change) {
        Document current = into.find(Filters.eq("_id", caseId)).first();
        if (current == null) {
            throw new IllegalStateException("no record view for case " + caseId + " while applying event " + sequence);
        }
        AccountabilityRecordView view = fromDocument(current);
        if (view.lastSequence >= sequence) {
            return; // already applied: at-least-once delivery
        }
        long expected = view.lastSequence;
        change.accept(view);
        view.lastSequence = sequence;
        view.derive();
        var result = into.replaceOne(
                new Document("_id", caseId).append("lastSequence", expected), toDocument(view));
        if (result.getMatchedCount() == 0) {
            throw new IllegalStateException("record view of case " + caseId + " changed concurrently; retrying event " + sequence);
        }
    }

    void deleteAll() {
        collection.write().deleteMany(new Document());
    }

    public String currentCollection() {
        return collection.currentName();
    }

    /** An empty collection for a rebuild, with the view's indexes. */
    void prepareEmpty(String name) {
        collection.prepared(name).deleteMany(new Document());
    }

    /** Makes {@code name} the live collection; answers the one it replaced. */
    String switchTo(String name) {
        return collection.switchTo(name);
    }

    void drop(String name) {
        collection.drop(name);
    }

    public List<Document> contents(String name) {
        return collection.contents(name);
    }

    public Optional<AccountabilityRecordView> findById(String caseId) {
        return Optional.ofNullable(collection.read().find(Filters.eq("_id", caseId)).first()).map(this::fromDocument);
    }

    /**
     * One page of records.
     *
     * @param stage       only records at this stage; null for all
     * @param memberState only records whose current attribution names this member state (case-insensitive); null for all
     * @param caseIds     only these cases; null for all
     */
    public Page<AccountabilityRecordView> search(Stage stage, String memberState, Collection<String> caseIds,
                                                 int page, int size) {
        Bson filter = filter(stage, memberState, caseIds);
        long total = collection.read().countDocuments(filter);
        List<AccountabilityRecordView> items = new ArrayList<>();
        collection.read().find(filter).sort(Sorts.ascending("_id")).skip(page * size).limit(size)
                .forEach(d -> items.add(fromDocument(d)));
        return new Page<>(items, page, size, total);
    }

    /** Every record that holds at least one amends offer, among {@code caseIds} (null for all). */
    public List<AccountabilityRecordView> findWithAmends(Collection<String> caseIds) {
        List<Bson> filters = new ArrayList<>();
        filters.add(Filters.gt("amendsCount", 0));
        if (caseIds != null) {
            filters.add(Filters.in("_id", caseIds));
        }
        List<AccountabilityRecordView> out = new ArrayList<>();
        collection.read().find(Filters.and(filters)).sort(Sorts.ascending("_id")).forEach(d -> out.add(fromDocument(d)));
        return out;
    }

    private static Bson filter(Stage stage, String memberState, Collection<String> caseIds) {
        List<Bson> filters = new ArrayList<>();
        if (stage != null) {
            filters.add(Filters.eq("stage", stage.name()));
        }
        if (memberState != null) {
            filters.add(Filters.regex("memberStates", Pattern.compile("^" + Pattern.quote(memberState) + "$",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
        }
        if (caseIds != null) {
            filters.add(Filters.in("_id", caseIds));
        }
        return filters.isEmpty() ? new Document() : Filters.and(filters);
    }

    private Document toDocument(AccountabilityRecordView view) {
        return documents.toDocument(view, view.caseId);
    }

    private AccountabilityRecordView fromDocument(Document doc) {
        return documents.fromDocument(doc, AccountabilityRecordView.class);
    }

    /** One page of results. */
    public record Page<T>(List<T> items, int page, int size, long total) {
    }
}
