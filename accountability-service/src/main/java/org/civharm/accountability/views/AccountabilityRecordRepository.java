package org.civharm.accountability.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.civharm.accountability.api.Stage;
import org.civharm.accountability.config.CivharmMongoProperties;
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
 * number is above the document's {@code lastSequence}, and the replace is conditional on the version read.
 */
@Repository
public class AccountabilityRecordRepository {

    static final String COLLECTION = "accountability_records";
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private final MongoCollection<Document> collection;
    private final ObjectMapper mapper;

    public AccountabilityRecordRepository(MongoClient client, CivharmMongoProperties mongo, ObjectMapper mapper) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
        this.mapper = mapper;
        collection.createIndex(Indexes.ascending("stage"));
        collection.createIndex(Indexes.ascending("memberStates"));
    }

    /** Creates the document of a newly opened record; a redelivered opening finds it there and does nothing. */
    void insertIfAbsent(AccountabilityRecordView view) {
        view.derive();
        try {
            collection.insertOne(toDocument(view));
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
        Document current = collection.find(Filters.eq("_id", caseId)).first();
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
        var result = collection.replaceOne(
                Filters.and(Filters.eq("_id", caseId), Filters.eq("lastSequence", expected)), toDocument(view));
        if (result.getMatchedCount() == 0) {
            throw new IllegalStateException("record view of case " + caseId + " changed concurrently; retrying event " + sequence);
        }
    }

    void deleteAll() {
        collection.deleteMany(new Document());
    }

    public Optional<AccountabilityRecordView> findById(String caseId) {
        return Optional.ofNullable(collection.find(Filters.eq("_id", caseId)).first()).map(this::fromDocument);
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
        long total = collection.countDocuments(filter);
        List<AccountabilityRecordView> items = new ArrayList<>();
        collection.find(filter).sort(Sorts.ascending("_id")).skip(page * size).limit(size)
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
        collection.find(Filters.and(filters)).sort(Sorts.ascending("_id")).forEach(d -> out.add(fromDocument(d)));
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
        try {
            Document doc = Document.parse(mapper.writeValueAsString(view));
            doc.put("_id", view.caseId);
            return doc;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot map record view of case " + view.caseId, e);
        }
    }

    private AccountabilityRecordView fromDocument(Document doc) {
        Document copy = new Document(doc);
        copy.remove("_id");
        try {
            return mapper.readerFor(AccountabilityRecordView.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(copy.toJson(RELAXED));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read record view " + doc.get("_id"), e);
        }
    }

    /** One page of results. */
    public record Page<T>(List<T> items, int page, int size, long total) {
    }
}
