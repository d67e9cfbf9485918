package org.civharm.infra.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * An H2 collection that uses its indexes the way MongoDB does, where mongo-java-server 1.47 does not: the server
 * ignores every non-unique index, and uses a unique one only for a query on exactly its fields by equality. So a
 * query by {@code caseId}, by {@code state}, by a time range (Axon's tracking query) or by {@code _id} plus a version
 * scanned and decoded the whole collection, and a register of some thousand cases slowed every service to a crawl
 * on this server although MongoDB serves the same queries from an index.
 * <p>
 * Here the first field of every declared index (and {@code _id}) gets an in-memory {@link FieldIndex}, built from the
 * stored documents when a query first needs it and kept up to date on every insert, update and delete. A query that
 * no index of the server itself can answer is narrowed by the most selective equality, {@code $in} or range
 * condition on such a field (at the top level or inside a top-level {@code $and}), and the candidates are matched
 * against the whole query as before: answers are the same, only found faster. A query that none narrows but that
 * is sorted on one such field with a limit ({@code sort(globalIndex: -1).limit(1)}: the newest event) walks that
 * field's index in order and stops at the limit, instead of decoding and sorting the whole collection; one narrowed
 * to many candidates, sorted on a field of a declared index with a range on it, walks that field's index within the
 * range and keeps the candidates (see {@link #inIndexOrderWithin}). Everything runs under the collection's
 * own lock (the monitor its public methods synchronize on), including a count, which the server runs without it.
 */
final class IndexedH2Collection extends H2Collection {

    /** Above this many candidates a sorted query with a limit walks the sort field's index instead of sorting them. */
    private static final int WALK_ABOVE = 64;

    private final Map<String, FieldIndex<Object>> fieldIndexes = new HashMap<>();

    IndexedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                        MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    @Override
    protected synchronized QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                                      int batchSize, Document fieldSelector) {
        boolean emptyQuery = query == null || query.isEmpty();
        if (emptyQuery || noServerIndexCanHandle(query)) {
            Set<Object> candidates = emptyQuery ? null : narrowest(query);
            if (candidates != null) {
                Iterable<Object> walk = limit > 0 && candidates.size() > WALK_ABOVE
                        ? inIndexOrderWithin(query, orderBy, candidates) : null;
                if (walk != null) {
                    // walked in the sort's order and matched until the limit is reached: nothing left to sort
                    return matchDocuments(query, walk, null, numberToSkip, limit, batchSize, fieldSelector);
                }
                return matchDocuments(query, candidates, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
            Iterable<Object> ordered = limit > 0 ? inIndexOrder(orderBy) : null;
            if (ordered != null) {
                // walked in the sort's order and matched until the limit is reached: nothing left to sort
                return matchDocuments(emptyQuery ? new Document() : query, ordered, null, numberToSkip, limit,
                        batchSize, fieldSelector);
            }
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** The positions in the order of a sort on one indexed field, or null when no field index gives that order. */
    private Iterable<Object> inIndexOrder(Document orderBy) {
        if (orderBy == null || orderBy.size() != 1) {
            return null;
        }
        Map.Entry<String, Object> sort = orderBy.entrySet().iterator().next();
        if (!(sort.getValue() instanceof Number direction) || !indexedFields().contains(sort.getKey())) {
            return null;
        }
        return fieldIndex(sort.getKey()).inOrder(direction.doubleValue() > 0);
    }

    /**
     * The candidates in the order of a sort on one field of a declared index (not only its first: {@code (state,
     * nextAttemptAt)}), walking that field's index within the query's range on it; null when the sort or the range
     * is not one to walk. The claim of the oldest due delivery ({@code state: PENDING, nextAttemptAt <= now}, sorted
     * on {@code nextAttemptAt}, limit 1) decoded and sorted every pending delivery: with a backlog of alerts to deliver
     * (full run P) it took most of the server's CPU, a sort per claim.
     */
    private Iterable<Object> inIndexOrderWithin(Document query, Document orderBy, Set<Object> candidates) {
        if (orderBy == null || orderBy.size() != 1) {
            return null;
        }
        Map.Entry<String, Object> sort = orderBy.entrySet().iterator().next();
        if (!(sort.getValue() instanceof Number direction) || !declaredIndexFields().contains(sort.getKey())) {
            return null;
        }
        List<Object> conditions = new ArrayList<>();
        FieldIndex.conditions(query, sort.getKey(), conditions);
        Object range = conditions.size() == 1 ? conditions.get(0) : FieldIndex.mergedRange(conditions);
        Iterable<Object> ordered = range == null ? null : fieldIndex(sort.getKey()).inOrder(direction.doubleValue() > 0, range);
        if (ordered == null) {
            return null;
        }
        return () -> StreamSupport.stream(ordered.spliterator(), false).filter(candidates::contains).iterator();
    }

    /** Every top-level field of every declared index, and {@code _id}. */
    private Set<String> declaredIndexFields() {
        Set<String> fields = new LinkedHashSet<>(indexedFields());
        for (Index<Object> index : getIndexes()) {
            for (IndexKey key : index.getKeys()) {
                if (!key.getKey().contains(".")) {
                    fields.add(key.getKey());
                }
            }
        }
        return fields;
    }

    private boolean noServerIndexCanHandle(Document query) {
        for (Index<Object> index : getIndexes()) {
            if (index.canHandle(query)) {
                return false;
            }
        }
        return true;
    }

    /** The smallest candidate set any field index gives for the query, or null when none can narrow it. */
    private Set<Object> narrowest(Document query) {
        Set<Object> best = null;
        List<Object> conditions = new ArrayList<>();
        for (String field : indexedFields()) {
            conditions.clear();
            FieldIndex.conditions(query, field, conditions);
            if (conditions.isEmpty()) {
                continue;
            }
            FieldIndex<Object> index = fieldIndex(field);
            if (conditions.size() > 1) {
                Document range = FieldIndex.mergedRange(conditions);
                if (range != null) {
                    conditions.add(0, range); // the bounded range first: usually the narrowest
                }
            }
            for (Object condition : conditions) {
                Set<Object> candidates = index.candidates(condition, best == null ? Integer.MAX_VALUE : best.size() - 1);
                if (candidates != null && (best == null || candidates.size() < best.size())) {
                    best = candidates;
                }
            }
        }
        return best;
    }

    /** {@code _id} and the first field of every declared index (dotted paths are left to the full scan). */
    private List<String> indexedFields() {
        List<String> fields = new ArrayList<>();
        fields.add(getIdField());
        for (Index<Object> index : getIndexes()) {
            List<IndexKey> keys = index.getKeys();
            if (!keys.isEmpty()) {
                String first = keys.get(0).getKey();
                if (!first.contains(".") && !fields.contains(first)) {
                    fields.add(first);
                }
            }
        }
        return fields;
    }

    private FieldIndex<Object> fieldIndex(String field) {
        FieldIndex<Object> index = fieldIndexes.get(field);
        if (index == null) {
            FieldIndex<Object> built = new FieldIndex<>(field);
            streamAllDocumentsWithPosition().forEach(d -> built.add(d.getDocument(), d.getPosition()));
            fieldIndexes.put(field, built);
            index = built;
        }
        return index;
    }

    @Override
    protected synchronized Object addDocumentInternal(Document document) {
        Object position = super.addDocumentInternal(document);
        for (FieldIndex<Object> index : fieldIndexes.values()) {
            index.add(document, position);
        }
        return position;
    }

    @Override
    protected synchronized void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument);
        for (FieldIndex<Object> index : fieldIndexes.values()) {
            index.remove(oldDocument, position);
            index.add(newDocument, position);
        }
    }

    @Override
    protected synchronized void removeDocument(Object position) {
        Document document = fieldIndexes.isEmpty() ? null : getDocument(position);
        super.removeDocument(position);
        if (document != null) {
            for (FieldIndex<Object> index : fieldIndexes.values()) {
                index.remove(document, position);
            }
        }
    }
}
