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
import com.mongodb.client.model.Projections;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.springframework.stereotype.Repository;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
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
 * {@code lastSequence}, and the write is conditional on the sequence read (a lost race is retried).
 */
@Repository
public class IncidentCaseRepository {

    static final String COLLECTION = "incident_cases";
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    private static final int ATTEMPTS = 5;

    private final MongoCollection<Document> collection;
    private final ObjectMapper mapper;

    public IncidentCaseRepository(MongoClient client, CivharmMongoProperties mongo, ObjectMapper mapper) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
        this.mapper = mapper;
        collection.createIndex(Indexes.ascending("operation"));
        collection.createIndex(Indexes.ascending("incidentDate.from"));
    }

    /**
     * Applies one event of a case unless it was applied already (its sequence is at or below the stored one).
     *
     * @return true if applied, false if it had been applied before
     */
    public boolean apply(String caseId, long sequence, Consumer<IncidentCase> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Document current = collection.find(Filters.eq("_id", caseId)).first();
            IncidentCase c = current == null ? fresh(caseId) : fromDocument(current);
            if (c.lastSequence >= sequence) {
                return false; // at-least-once delivery: already applied
            }
            long expected = c.lastSequence;
            change.accept(c);
            c.lastSequence = sequence;
            if (current == null) {
                try {
                    collection.insertOne(toDocument(c));
                    return true;
                } catch (MongoWriteException e) {
                    if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    continue; // created meanwhile: read again
                }
            }
            var result = collection.replaceOne(
                    Filters.and(Filters.eq("_id", caseId), Filters.eq("lastSequence", expected)), toDocument(c));
            if (result.getMatchedCount() == 1) {
                return true;
            }
        }
        throw new IllegalStateException("incident case " + caseId + " kept changing concurrently; retrying event " + sequence);
    }

    public Optional<IncidentCase> findById(String caseId) {
        return Optional.ofNullable(collection.find(Filters.eq("_id", caseId)).first()).map(this::fromDocument);
    }

    /** The cases among {@code caseIds} this service knows, by case id. */
    public Map<String, IncidentCase> findAll(Collection<String> caseIds) {
        Map<String, IncidentCase> out = new LinkedHashMap<>();
        if (caseIds.isEmpty()) {
            return out;
        }
        collection.find(Filters.in("_id", caseIds)).forEach(d -> {
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
        collection.find(filter).projection(Projections.include("_id")).forEach(d -> ids.add(d.getString("_id")));
        return ids;
    }

    private static IncidentCase fresh(String caseId) {
        IncidentCase c = new IncidentCase();
        c.caseId = caseId;
        return c;
    }

    private Document toDocument(IncidentCase c) {
        try {
            Document doc = Document.parse(mapper.writeValueAsString(c));
            doc.put("_id", c.caseId);
            return doc;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot map incident case " + c.caseId, e);
        }
    }

    private IncidentCase fromDocument(Document doc) {
        Document copy = new Document(doc);
        copy.remove("_id");
        try {
            return mapper.readerFor(IncidentCase.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(copy.toJson(RELAXED));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read incident case " + doc.get("_id"), e);
        }
    }
}
