package org.civharm.infra.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * mongo-java-server's H2 file backend with the index use MongoDB has and the server lacks ({@link IndexedH2Collection}),
 * documents stored as BSON ({@link StoredDocumentType}) and unique-index keys compared without Java serialisation
 * ({@link IndexKeyType}). Only for the local system, benchmarks and the fault suite; production runs on MongoDB.
 * <p>
 * A file written by an earlier version opens: its documents are read in H2's format until rewritten, and its
 * unique-index maps, ordered the old way, are rewritten once in the new order before any database is opened
 * (a marker in the file says this was done).
 */
public final class IndexedH2Backend extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(IndexedH2Backend.class);
    /** Holds {@value #INDEX_ORDER_KEY} → {@value #INDEX_ORDER} once the file's index maps are in IndexKeyType's order. */
    static final String FORMAT_MAP = "civharm.format";
    static final String INDEX_ORDER_KEY = "unique-index-key-order";
    static final String INDEX_ORDER = "IndexKeyType/1";

    /**
     * MB of decoded pages H2 keeps in memory ({@code -Dcivharm.mongo.cache-mb}). H2's default of 16 MB held a small
     * part of a register of 100 k events: a JFR profile of the server during benchmark run K's rebuilds (132 k
     * incident events) had 72 % of its samples reading pages back from the file, and a lookup by key decodes every
     * document of its leaf page.
     */
    static final int CACHE_MB = Integer.getInteger("civharm.mongo.cache-mb", 256);

    /**
     * The command that answers {@link #requestCounts()} ({@code {civharmRequestCounts: 1}} on any database): what the
     * benchmark divides by the commands it sent, to show how many MongoDB round trips a civharm command costs and
     * where they go. Counting is one {@link LongAdder} increment per request.
     */
    public static final String REQUEST_COUNTS_COMMAND = "civharmRequestCounts";
    private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();

    /*
     * No background compaction (fill rate 0): H2 neither rewrites live pages into new chunks nor moves chunks to the
     * front and truncates the file while the server runs. In full run N, after 45 minutes of load (a 5.9 GB file),
     * a full scan failed with "Reading from file ... failed at 1870450903 (length -1), read 0" and the background
     * housekeeping's own chunk rewrite failed the same way; every later request failed. Freed chunks are still reused
     * for new ones, so the file grows with the dead space inside partly live chunks, not with every write.
     */
    public IndexedH2Backend(String fileName) {
        super(prepared(new MVStore.Builder().fileName(fileName).cacheSize(CACHE_MB).autoCompactFillRate(0).open()));
    }

    /*
     * Every request (OP_MSG, and the legacy OP_QUERY some clients still send) runs with the store's current version
     * registered as in use, so that no chunk it may read is freed under it: an unregistered read is protected only by
     * the retention time. In benchmark run K, after 25 minutes of load, the first build of a field index over the
     * incident event store (132 k events) failed with H2's "Chunk N not found" while the background writer committed
     * and compacted. Registering readers is H2's advice for standalone MVStore use (h2database issues 2118 and 4218;
     * 4383, still open, reports the error in 2.3-2.5). Not reproduced by a test: compacting the store under full
     * scans, with retention 0 and a 1 MB cache, did not fail with or without the registration.
     */
    @Override
    public Document handleMessage(MongoMessage message) {
        Document command = message.getDocument();
        String name = command.isEmpty() ? "" : command.keySet().iterator().next();
        if (REQUEST_COUNTS_COMMAND.equals(name)) {
            return new Document("counts", requestCounts()).append("ok", 1.0);
        }
        count(message.getDatabaseName(), name, command.get(name), command.get("collection"),
                command.get(name.equals("findAndModify") ? "query" : "filter"));
        return withVersionInUse(() -> super.handleMessage(message));
    }

    /**
     * Requests served since start, keyed "database command [collection] [filter fields]" (getMore names its
     * collection apart; find and findAndModify add their filter's top-level fields).
     */
    Document requestCounts() {
        Document counts = new Document();
        new TreeMap<>(requestCounts).forEach((key, n) -> counts.append(key, n.sum()));
        return counts;
    }

    private void count(String database, String command, Object target, Object getMoreCollection, Object filter) {
        String collection = target instanceof String s ? s : getMoreCollection instanceof String s ? s : null;
        String key = database + " " + command + (collection != null ? " " + collection : "");
        if (filter instanceof Document f && !f.isEmpty()) {
            key += " " + String.join(",", new TreeMap<>(f).keySet()); // the filter's fields: which query this was
        }
        requestCounts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        return withVersionInUse(() -> super.handleQuery(query));
    }

    private <T> T withVersionInUse(Supplier<T> request) {
        MVStore store = getMvStore();
        MVStore.TxCounter inUse = store.registerVersionUsage();
        try {
            return request.get();
        } finally {
            store.deregisterVersionUsage(inUse);
        }
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new IndexedH2Database(databaseName, getMvStore(), getCursorRegistry());
    }

    /** Rewrites the unique-index maps of a file written before {@link IndexKeyType}, once. */
    static MVStore prepared(MVStore store) {
        MVMap<String, String> format = store.openMap(FORMAT_MAP);
        if (INDEX_ORDER.equals(format.get(INDEX_ORDER_KEY))) {
            return store;
        }
        List<String> indexMaps = new ArrayList<>();
        for (String name : store.getMapNames()) {
            if (name.contains(IndexedH2Database.INDEX_MAP_INFIX)) {
                indexMaps.add(name);
            }
        }
        for (String name : indexMaps) {
            MVMap<Object, Object> old = store.openMap(name);
            MVMap<KeyValue, Object> rewritten = store.openMap(name + ".rewriting",
                    new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyType()));
            rewritten.clear();
            for (Map.Entry<Object, Object> entry : old.entrySet()) {
                rewritten.put((KeyValue) entry.getKey(), entry.getValue());
            }
            long entries = rewritten.sizeAsLong();
            store.removeMap(old);
            store.renameMap(rewritten, name);
            log.info("unique index map '{}' rewritten in the new key order ({} entries)", name, entries);
        }
        format.put(INDEX_ORDER_KEY, INDEX_ORDER);
        store.commit();
        return store;
    }
}
