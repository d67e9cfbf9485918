package org.civharm.infra.mongo;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.civharm.infra.Ports;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The indexed backend's stored format (documents as BSON, unique-index keys in {@link IndexKeyType}'s order) gives
 * the same answers as mongo-java-server's own H2 backend, keeps doing so after a reopen, and opens a file the plain
 * backend wrote: its documents read back and its unique indexes still refuse duplicates and find keys.
 */
class StoredFormatTest {

    @TempDir
    Path dir;

    /** Unique keys of many kinds, some equal to MongoDB (1, 1L and 1.0), one BSON cannot round-trip (binary). */
    private static List<Object> keys() {
        return List.of("1", 1, 1L, 1.0, 2.5, -0.0, 0.0, true, false, new ObjectId("5f1d7a2e9b1e8a3c4d5e6f70"),
                new Date(1_500_000_000_000L), new Document("a", 1), new Document("a", "1"),
                new Document("a", 1).append("b", 2), new Document("b", 2).append("a", 1), List.of(1, 2),
                "Raqqa", "الرقة", new Binary(new byte[] {1, 2, 3}), Long.MAX_VALUE, "");
    }

    @Test
    void uniqueKeysOfEveryKindBehaveAsInThePlainBackendBeforeAndAfterAReopen() {
        List<String> plainOutcomes = outcomes(() -> new H2Backend(dir.resolve("plain.mv").toString()), true);
        List<String> indexedOutcomes = outcomes(() -> new IndexedH2Backend(dir.resolve("indexed.mv").toString()), true);
        assertThat(indexedOutcomes).isEqualTo(plainOutcomes).contains("duplicate");
        // reopened: every key is found again and refused again
        List<String> reopened = outcomes(() -> new IndexedH2Backend(dir.resolve("indexed.mv").toString()), false);
        assertThat(reopened).isEqualTo(outcomes(() -> new H2Backend(dir.resolve("plain.mv").toString()), false));
    }

    @Test
    void documentsOfEveryBsonTypeReadBackAsWritten() {
        Document doc = new Document("_id", "all-types").append("string", "Raqqa — الرقة").append("int", 42)
                .append("long", 1L << 40).append("double", 0.1).append("bool", true).append("null", null)
                .append("date", new Date(1_498_608_000_123L)).append("oid", new ObjectId())
                .append("decimal", new Decimal128(new BigDecimal("12.345"))).append("binary", new Binary(new byte[] {9, 8}))
                .append("timestamp", new BsonTimestamp(1_700_000_000, 3))
                .append("nested", new Document("list", List.of(1, "two", new Document("three", 3.0), List.of())))
                .append("empty", new Document());
        MongoServer plain = new MongoServer(new H2Backend(dir.resolve("p.mv").toString()));
        MongoServer indexed = new MongoServer(new IndexedH2Backend(dir.resolve("i.mv").toString()));
        try (MongoClient a = bound(plain); MongoClient b = bound(indexed)) {
            a.getDatabase("t").getCollection("d").insertOne(new Document(doc));
            b.getDatabase("t").getCollection("d").insertOne(new Document(doc));
            assertThat(b.getDatabase("t").getCollection("d").find().first())
                    .isEqualTo(a.getDatabase("t").getCollection("d").find().first()).isEqualTo(doc);
        } finally {
            plain.shutdown();
            indexed.shutdown();
        }
        // stored as BSON, not as serialised Java objects: every value and index key carries the BSON tag
        try (MVStore store = MVStore.open(dir.resolve("i.mv").toString())) {
            List<Integer> documentTags = tags(store, "databases.t.d", false);
            List<Integer> keyTags = tags(store, "t.d._index__id_", true);
            assertThat(documentTags).containsOnly(StoredDocumentType.TAG).hasSize(1);
            assertThat(keyTags).containsOnly(IndexKeyType.TAG).hasSize(1);
        }
        MongoServer reopened = new MongoServer(new IndexedH2Backend(dir.resolve("i.mv").toString()));
        try (MongoClient b = bound(reopened)) {
            assertThat(b.getDatabase("t").getCollection("d").find().first()).isEqualTo(doc);
        } finally {
            reopened.shutdown();
        }
    }

    /** The first byte of each stored value (or key) of a map, read raw. */
    private static List<Integer> tags(MVStore store, String map, boolean keys) {
        assertThat(store.getMapNames()).contains(map);
        List<Integer> tags = new ArrayList<>();
        org.h2.mvstore.type.BasicDataType<Object> probe = new org.h2.mvstore.type.BasicDataType<>() {
            @Override
            public int getMemory(Object obj) {
                return 16;
            }

            @Override
            public void write(org.h2.mvstore.WriteBuffer buff, Object obj) {
                throw new UnsupportedOperationException("read only");
            }

            @Override
            public Object read(java.nio.ByteBuffer buff) {
                tags.add((int) buff.get(buff.position()));
                return keys ? new IndexKeyType().read(buff) : new StoredDocumentType().read(buff);
            }

            @Override
            public Object[] createStorage(int size) {
                return new Object[size];
            }

            @Override
            public int compare(Object a, Object b) {
                return keys ? new IndexKeyType().compare((de.bwaldvogel.mongo.backend.KeyValue) a,
                        (de.bwaldvogel.mongo.backend.KeyValue) b) : 0;
            }
        };
        org.h2.mvstore.MVMap<Object, Object> raw = store.openMap(map, keys
                ? new org.h2.mvstore.MVMap.Builder<Object, Object>().keyType(probe)
                : new org.h2.mvstore.MVMap.Builder<Object, Object>().valueType(probe));
        raw.entrySet().forEach(e -> { });
        return tags;
    }

    @Test
    void aFileWrittenByThePlainBackendOpensWithItsDocumentsAndUniqueIndexes() {
        Path file = dir.resolve("old.mv");
        MongoServer old = new MongoServer(new H2Backend(file.toString()));
        try (MongoClient client = bound(old)) {
            MongoCollection<Document> events = client.getDatabase("incident").getCollection("domainevents");
            events.createIndex(Indexes.ascending("aggregateIdentifier", "sequenceNumber"),
                    new IndexOptions().unique(true).name("uniqueAggregateIndex"));
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                docs.add(new Document("aggregateIdentifier", "CASE-" + (i / 3)).append("sequenceNumber", (long) (i % 3))
                        .append("payload", "event " + i));
            }
            events.insertMany(docs);
        } finally {
            old.shutdown();
        }

        MongoServer upgraded = new MongoServer(new IndexedH2Backend(file.toString()));
        try (MongoClient client = bound(upgraded)) {
            MongoCollection<Document> events = client.getDatabase("incident").getCollection("domainevents");
            assertThat(events.countDocuments()).isEqualTo(300);
            assertThat(events.find(Filters.eq("aggregateIdentifier", "CASE-42")).sort(Sorts.ascending("sequenceNumber"))
                    .map(d -> d.getString("payload")).into(new ArrayList<>()))
                    .containsExactly("event 126", "event 127", "event 128");
            // the old unique index still holds, in its rewritten order
            assertThatThrownBy(() -> events.insertOne(new Document("aggregateIdentifier", "CASE-7")
                    .append("sequenceNumber", 2L))).isInstanceOf(MongoWriteException.class)
                    .hasMessageContaining("duplicate key");
            events.insertOne(new Document("aggregateIdentifier", "CASE-7").append("sequenceNumber", 3L));
            events.updateOne(Filters.eq("payload", "event 0"), Updates.set("payload", "event 0, amended"));
            // an old document and its _id index entry are found and removed
            assertThat(events.deleteOne(Filters.eq("payload", "event 1")).getDeletedCount()).isEqualTo(1);
        } finally {
            upgraded.shutdown();
        }
        try (MVStore store = MVStore.open(file.toString())) {
            assertThat(store.<String, String>openMap(IndexedH2Backend.FORMAT_MAP).get(IndexedH2Backend.INDEX_ORDER_KEY))
                    .isEqualTo(IndexedH2Backend.INDEX_ORDER);
        }
        MongoServer again = new MongoServer(new IndexedH2Backend(file.toString()));
        try (MongoClient client = bound(again)) {
            MongoCollection<Document> events = client.getDatabase("incident").getCollection("domainevents");
            assertThat(events.countDocuments()).isEqualTo(300);
            assertThat(events.find(Filters.eq("payload", "event 0, amended")).first()).isNotNull();
            assertThatThrownBy(() -> events.insertOne(new Document("aggregateIdentifier", "CASE-7")
                    .append("sequenceNumber", 3L))).isInstanceOf(MongoWriteException.class);
        } finally {
            again.shutdown();
        }
    }

    /**
     * Inserts one document per key under a unique index (first pass only), then tries each key again and looks each
     * up: "inserted" / "duplicate" per insert, then the ids found per key.
     */
    private static List<String> outcomes(Supplier<de.bwaldvogel.mongo.MongoBackend> backend, boolean insert) {
        MongoServer server = new MongoServer(backend.get());
        List<String> out = new ArrayList<>();
        try (MongoClient client = bound(server)) {
            MongoCollection<Document> c = client.getDatabase("t").getCollection("keys");
            c.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true));
            List<Object> keys = keys();
            for (int pass = insert ? 0 : 1; pass < 2; pass++) {
                for (int i = 0; i < keys.size(); i++) {
                    try {
                        c.insertOne(new Document("_id", pass * 1000 + i).append("k", keys.get(i)));
                        out.add("inserted");
                    } catch (MongoWriteException e) {
                        out.add(e.getError().getCode() == 11000 ? "duplicate" : "error " + e.getError().getCode());
                    }
                }
            }
            for (Object key : keys) {
                out.add(key + " → " + c.find(Filters.eq("k", key)).map(d -> d.get("_id")).into(new ArrayList<>()));
            }
            out.add("count " + c.countDocuments());
        } finally {
            server.shutdown();
        }
        return out;
    }

    private static MongoClient bound(MongoServer server) {
        int port = Ports.freePort();
        server.bind(Ports.LOOPBACK, port);
        return MongoClients.create("mongodb://" + Ports.LOOPBACK + ":" + port);
    }
}
