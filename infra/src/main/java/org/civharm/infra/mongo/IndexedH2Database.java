package org.civharm.infra.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.lang.reflect.Field;
import java.util.List;

/**
 * An H2 database whose collections are {@link IndexedH2Collection}s. The maps are H2Database's (same names); documents
 * are stored as BSON ({@link StoredDocumentType}) and unique-index keys ordered by {@link IndexKeyType}.
 */
final class IndexedH2Database extends H2Database {

    private static final Field STORE = storeField();

    IndexedH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
        super(databaseName, store, cursorRegistry);
    }

    private static Field storeField() {
        try {
            Field field = H2Database.class.getDeclaredField("mvStore");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("mongo-java-server's H2Database changed: no mvStore field", e);
        }
    }

    /**
     * H2Database's store. Read from its field because the super constructor already opens the stored collections
     * (before a field of this class could be set), and H2Database keeps the store private.
     */
    private MVStore store() {
        try {
            return (MVStore) STORE.get(this);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        // H2Database's map name, with keys ordered by IndexKeyType
        MVMap<KeyValue, Object> map = store().openMap(indexMapName(getFullCollectionNamespace(collectionName), indexName),
                new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyType()));
        return new IndexedH2UniqueIndex(map, indexName, keys, sparse);
    }

    static String indexMapName(String fullCollectionName, String indexName) {
        return fullCollectionName + INDEX_MAP_INFIX + indexName;
    }

    static final String INDEX_MAP_INFIX = "._index_";

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        // the same map names H2Database uses, so a store written by either opens in the other
        String fullName = getFullCollectionNamespace(collectionName);
        MVStore store = store();
        MVMap<Object, Document> dataMap = store.openMap("databases." + fullName,
                new MVMap.Builder<Object, Document>().valueType(new StoredDocumentType()));
        MVMap<String, Object> metaMap = store.openMap("meta." + fullName);
        return new IndexedH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
    }
}
