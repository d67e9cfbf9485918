package org.civharm.incident.views;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.incident.PlaceName;
import org.civharm.incident.config.CivharmMongoProperties;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Stores {@link AllegationSummary} documents through the MongoDB Java driver. Writes are idempotent without
 * transactions: an update is applied only if the event's sequence number is above the document's
 * {@code lastSequence}, and the replace is conditional on the version read.
 * <p>
 * The live collection is named by a pointer document ({@code view_pointers/allegation_summaries}), so a rebuild can
 * fill a fresh collection while readers keep using the old one, then switch every instance over (each re-reads the
 * pointer at most every two seconds).
 */
@Repository
public class AllegationSummaryRepository {

    static final String COLLECTION = "allegation_summaries";
    /** Lower-cased text of the searchable fields, for regex free-text search ($text is unavailable on the embedded server). */
    static final String SEARCH_FIELD = "_search";
    private static final TypeReference<LinkedHashMap<String, Object>> DOCUMENT_FIELDS = new TypeReference<>() {
    };

    static final String POINTERS = "view_pointers";
    private static final long POINTER_REFRESH_MS = 2000;

    private final MongoDatabase database;
    private final MongoCollection<Document> pointers;
    private final ObjectMapper mapper;
    private volatile MongoCollection<Document> collection;
    private volatile long pointerReadAt;
    /** Switches made through this instance: a batch whose pinned target predates one follows the pointer again. */
    private final AtomicLong switches = new AtomicLong();
    /** Unit-of-work resource: the write target of the tracking processor's current batch. */
    private static final String BATCH_TARGET = AllegationSummaryRepository.class.getName() + ".batchTarget";

    private record BatchTarget(long afterSwitches, MongoCollection<Document> collection) {
    }

    public AllegationSummaryRepository(MongoClient client, CivharmMongoProperties mongo, ObjectMapper mapper) {
        this.database = client.getDatabase(mongo.database());
        this.pointers = database.getCollection(POINTERS);
        // unknown fields (written by a newer version of the view) are skipped when reading
        this.mapper = mapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.collection = prepared(currentName());
        this.pointerReadAt = System.currentTimeMillis();
    }

    /** The live collection, as named by the pointer. */
    MongoCollection<Document> collection() {
        if (System.currentTimeMillis() - pointerReadAt > POINTER_REFRESH_MS) {
            String name = currentName();
            if (!name.equals(collection.getNamespace().getCollectionName())) {
                collection = database.getCollection(name);
            }
            pointerReadAt = System.currentTimeMillis();
        }
        return collection;
    }

    public String currentName() {
        Document pointer = pointers.find(Filters.eq("_id", COLLECTION)).first();
        return pointer == null ? COLLECTION : pointer.getString("collection");
    }

    /** A collection with the view's indexes, for a rebuild to fill. */
    MongoCollection<Document> prepared(String name) {
        MongoCollection<Document> target = database.getCollection(name);
        target.createIndex(Indexes.ascending("status"));
        target.createIndex(Indexes.ascending("operation"));
        target.createIndex(Indexes.ascending("filedOn"));
        target.createIndex(Indexes.ascending("incidentDate.from"));
        target.createIndex(Indexes.ascending("lastChangedAt"), new IndexOptions().name("lastChangedAt_1"));
        // Serves the conditional replace below. Redundant on MongoDB (the _id index answers it), but the embedded
        // Mongo-wire server uses an index only for a query on exactly its fields, and without this one every event
        // applied scanned the whole view (measured: 7-10 ms per write at 20 k cases in memory, far more on H2).
        target.createIndex(Indexes.ascending("_id", "lastSequence"),
                new IndexOptions().unique(true).name("_id_lastSequence"));
        return target;
    }

    /** Makes {@code name} the live collection for every instance; returns the one it replaces. */
    String switchTo(String name) {
        String previous = currentName();
        pointers.replaceOne(Filters.eq("_id", COLLECTION), new Document("_id", COLLECTION).append("collection", name),
                new ReplaceOptions().upsert(true));
        collection = database.getCollection(name);
        pointerReadAt = System.currentTimeMillis();
        switches.incrementAndGet();
        return previous;
    }

    void drop(String name) {
        database.getCollection(name).drop();
    }

    /** Creates the document for a newly filed case; a redelivered filing finds it there and does nothing. */
    void insertIfAbsent(AllegationSummary summary) {
        insertIfAbsent(writeTarget(), summary);
    }

    void insertIfAbsent(MongoCollection<Document> target, AllegationSummary summary) {
        try {
            target.insertOne(toDocument(summary));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /**
     * Applies one event to a case's document unless it was applied already.
     *
     * @throws IllegalStateException if the case's document does not exist (its filing was not projected), so the
     *                               tracking processor retries instead of losing the event
     */
    void update(String caseId, long sequence, Consumer<AllegationSummary> change) {
        update(writeTarget(), caseId, sequence, change);
    }

    /**
     * Writes follow the pointer as stored when the tracking processor's batch (up to 50 events) made its first write,
     * so none lands in a collection a rebuild replaced before that: one pointer query per batch, not per event. A
     * rebuild on this instance switches only while the live processor is shut down, and any switch made through this
     * instance is seen at the next write; another instance's switch, by the next batch. Outside a unit of work, the
     * pointer as stored right now.
     */
    private MongoCollection<Document> writeTarget() {
        if (!CurrentUnitOfWork.isStarted()) {
            return followPointer();
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        BatchTarget target = batch.getResource(BATCH_TARGET);
        long switched = switches.get();
        if (target == null || target.afterSwitches() != switched) {
            target = new BatchTarget(switched, followPointer());
            batch.resources().put(BATCH_TARGET, target);
        }
        return target.collection();
    }

    private MongoCollection<Document> followPointer() {
        String name = currentName();
        if (!name.equals(collection.getNamespace().getCollectionName())) {
            collection = database.getCollection(name);
            pointerReadAt = System.currentTimeMillis();
        }
        return collection;
    }

    void update(MongoCollection<Document> target, String caseId, long sequence, Consumer<AllegationSummary> change) {
        Document current = target.find(Filters.eq("_id", caseId)).first();
        if (current == null) {
            throw new IllegalStateException("no summary for case " + caseId + " while applying event " + sequence);
        }
        AllegationSummary summary = fromDocument(current);
        if (summary.lastSequence >= sequence) {
            return; // already applied: at-least-once delivery
        }
        long expected = summary.lastSequence;
        change.accept(summary);
        summary.lastSequence = sequence;
        // a plain filter document, not Filters.and(...): the embedded server answers an $and with a full scan
        var result = target.replaceOne(new Document("_id", caseId).append("lastSequence", expected),
                toDocument(summary));
        if (result.getMatchedCount() == 0) {
            throw new IllegalStateException("summary of case " + caseId + " changed concurrently; retrying event " + sequence);
        }
    }

    void deleteAll() {
        collection().deleteMany(new Document());
    }

    /** Every document of a collection, by case id, without server-side bookkeeping (for rebuild comparisons). */
    public List<Document> contents(String name) {
        List<Document> docs = new ArrayList<>();
        database.getCollection(name).find().sort(Sorts.ascending("_id")).into(docs);
        return docs;
    }

    public Optional<AllegationSummary> findById(String caseId) {
        return Optional.ofNullable(collection().find(Filters.eq("_id", caseId)).first()).map(this::fromDocument);
    }

    public boolean exists(String caseId) {
        return collection().countDocuments(Filters.eq("_id", caseId)) > 0;
    }

    public SearchResult search(AllegationSearch search) {
        List<Bson> filters = new ArrayList<>();
        if (search.status() != null) {
            filters.add(Filters.eq("status", search.status().name()));
        }
        if (search.source() != null) {
            filters.add(Filters.regex("source.name", containing(search.source())));
        }
        if (search.belligerent() != null) {
            filters.add(Filters.regex("belligerents.name", containing(search.belligerent())));
        }
        if (search.place() != null) {
            filters.add(Filters.regex("place.names.name", containing(search.place())));
        }
        if (search.operation() != null) {
            filters.add(Filters.regex("operation", containing(search.operation())));
        }
        // Incident dates are ranges: a case matches when its range overlaps the asked one.
        if (search.incidentFrom() != null) {
            filters.add(Filters.gte("incidentDate.to", search.incidentFrom().toString()));
        }
        if (search.incidentTo() != null) {
            filters.add(Filters.lte("incidentDate.from", search.incidentTo().toString()));
        }
        if (search.text() != null) {
            filters.add(Filters.regex(SEARCH_FIELD, containing(search.text().toLowerCase())));
        }
        Bson filter = filters.isEmpty() ? new Document() : Filters.and(filters);
        Bson sort = search.ascending()
                ? Sorts.orderBy(Sorts.ascending(search.sort().field()), Sorts.ascending("_id"))
                : Sorts.orderBy(Sorts.descending(search.sort().field()), Sorts.descending("_id"));
        MongoCollection<Document> live = collection();
        long total = live.countDocuments(filter);
        List<AllegationSummary> items = new ArrayList<>();
        live.find(filter).sort(sort).skip(search.page() * search.size()).limit(search.size())
                .forEach(d -> items.add(fromDocument(d)));
        return new SearchResult(items, search.page(), search.size(), total);
    }

    /**
     * Triage: other cases whose incident dates overlap this one's and that share its operation or one of its place
     * names (case-insensitive). Candidates for a duplicate finding; a caseworker decides.
     */
    public List<AllegationSummary> possibleDuplicates(AllegationSummary of, int limit) {
        List<Bson> filters = new ArrayList<>();
        filters.add(Filters.ne("_id", of.caseId));
        filters.add(Filters.gte("incidentDate.to", of.incidentDate.from().toString()));
        filters.add(Filters.lte("incidentDate.from", of.incidentDate.to().toString()));
        List<Bson> sameWhere = new ArrayList<>();
        if (of.operation != null) {
            sameWhere.add(Filters.regex("operation", exactly(of.operation)));
        }
        if (of.place != null && of.place.names() != null) {
            for (PlaceName name : of.place.names()) {
                sameWhere.add(Filters.regex("place.names.name", exactly(name.name())));
            }
        }
        if (sameWhere.isEmpty()) {
            return List.of();
        }
        filters.add(Filters.or(sameWhere));
        List<AllegationSummary> found = new ArrayList<>();
        collection().find(Filters.and(filters)).sort(Sorts.ascending("_id")).limit(limit).forEach(d -> found.add(fromDocument(d)));
        return found;
    }

    private static Pattern exactly(String text) {
        return Pattern.compile("^" + Pattern.quote(text) + "$", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** A case-insensitive "contains" match on user text, quoted so the text is never interpreted as a regex. */
    private static Pattern containing(String text) {
        return Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /**
     * Folds one case's events exactly as {@link #insertIfAbsent} and {@link #update} would one by one (each step
     * through the stored document form), without the round trips, onto the document an earlier fold stored
     * ({@code stored}, or null), skipping events it already holds; answers the document to store, or null when there
     * is still no filing. For the rebuild's bulk phase, which folds the store page by page: a case whose events fall
     * into two pages is continued from what the first page stored.
     */
    Document foldOnto(Document stored, List<? extends DomainEventMessage<?>> events) {
        // folded as an object and mapped to a document once: mapping after every event made a long case's fold
        // quadratic (a case with 1,000 evidence items re-serialised its growing list 1,000 times)
        AllegationSummary summary = stored == null ? null : fromDocument(stored);
        for (var message : events) {
            if (!(message.getPayload() instanceof IncidentEvent event)) {
                continue;
            }
            if (event instanceof AllegationFiledEvent filed) {
                if (summary == null) {
                    summary = AllegationSummaries.filed(filed, message.getSequenceNumber());
                }
            } else if (summary != null && summary.lastSequence < message.getSequenceNumber()) {
                AllegationSummaries.apply(summary, event);
                summary.lastSequence = message.getSequenceNumber();
            }
        }
        return summary == null ? null : toDocument(summary);
    }

    /*
     * Summary <-> document through Jackson's token buffer, not through JSON text: writing the summary as a string and
     * parsing it with Document.parse (and back through toJson) took most of a rebuild's CPU in a profile (the BSON
     * library's JSON reader: 430 of 939 samples of the rebuild thread), and the live projection pays it on every event.
     */
    private Document toDocument(AllegationSummary summary) {
        Document doc = new Document(mapper.convertValue(summary, DOCUMENT_FIELDS));
        doc.put("_id", summary.caseId);
        doc.put(SEARCH_FIELD, searchText(summary));
        return doc;
    }

    private AllegationSummary fromDocument(Document doc) {
        Document copy = new Document(doc);
        copy.remove("_id");
        copy.remove(SEARCH_FIELD);
        try {
            return mapper.convertValue(copy, AllegationSummary.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot read summary " + doc.get("_id"), e);
        }
    }

    private static String searchText(AllegationSummary s) {
        StringJoiner text = new StringJoiner(" \n ");
        add(text, s.caseId);
        add(text, s.description);
        add(text, s.reportTitle);
        add(text, s.operation);
        add(text, s.claimedTarget);
        add(text, s.weapon);
        if (s.source != null) {
            add(text, s.source.name());
        }
        if (s.place != null && s.place.names() != null) {
            for (PlaceName n : s.place.names()) {
                add(text, n.name());
            }
        }
        s.belligerents.forEach(b -> add(text, b.name));
        s.externalReferences.forEach(r -> add(text, r));
        if (s.latestAssessment != null) {
            add(text, s.latestAssessment.statedReason);
            add(text, s.latestAssessment.comment);
        }
        return text.toString().toLowerCase();
    }

    private static void add(StringJoiner joiner, String value) {
        if (value != null && !value.isBlank()) {
            joiner.add(value);
        }
    }

    /** One page of search results. */
    public record SearchResult(List<AllegationSummary> items, int page, int size, long total) {
    }
}
