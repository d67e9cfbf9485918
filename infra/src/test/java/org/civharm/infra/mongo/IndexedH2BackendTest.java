package org.civharm.infra.mongo;

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
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civharm.infra.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexed backend answers every query exactly as mongo-java-server's own H2 backend does (the same seeded
 * writes and queries go to both, through the real driver), keeps answering so after updates, deletes and a reopen of
 * its file, and no longer reads the whole collection for a query by a non-unique indexed field.
 */
class IndexedH2BackendTest {

    @TempDir
    Path dir;

    private static final String[] STATES = {"PENDING", "OVERDUE", "MET", "CANCELLED"};

    @Test
    void answersEveryQueryAsThePlainBackendDoes() {
        MongoServer plain = new MongoServer(new H2Backend(dir.resolve("plain.mv").toString()));
        MongoServer indexed = new MongoServer(new IndexedH2Backend(dir.resolve("indexed.mv").toString()));
        try (MongoClient a = bound(plain); MongoClient b = bound(indexed)) {
            List<MongoCollection<Document>> both = List.of(collection(a), collection(b));
            Random random = new Random(20261128L);
            for (int i = 0; i < 600; i++) {
                Document doc = randomDocument(random, i);
                both.forEach(c -> c.insertOne(new Document(doc)));
            }
            for (int round = 0; round < 3; round++) {
                for (int q = 0; q < 150; q++) {
                    Bson filter = randomFilter(random);
                    assertSameAnswer(both, filter);
                }
                for (int q = 0; q < 60; q++) {
                    assertSameSortedPage(both, random.nextBoolean() ? new Document() : randomFilter(random), random);
                }
                // change and remove some documents, then ask again
                for (int i = 0; i < 120; i++) {
                    String id = "d" + random.nextInt(600);
                    Bson update = Updates.combine(Updates.set("state", STATES[random.nextInt(STATES.length)]),
                            Updates.inc("version", 1));
                    both.forEach(c -> c.updateOne(Filters.eq("_id", id), update));
                }
                for (int i = 0; i < 20; i++) {
                    String caseId = "case-" + random.nextInt(60);
                    long version = random.nextInt(3);
                    both.forEach(c -> c.deleteMany(new Document("caseId", caseId).append("version", version)));
                }
            }
        } finally {
            plain.shutdown();
            indexed.shutdown();
        }

        // reopened: the field indexes are built again from the stored documents
        MongoServer reopenedPlain = new MongoServer(new H2Backend(dir.resolve("plain.mv").toString()));
        MongoServer reopened = new MongoServer(new IndexedH2Backend(dir.resolve("indexed.mv").toString()));
        try (MongoClient a = bound(reopenedPlain); MongoClient b = bound(reopened)) {
            List<MongoCollection<Document>> both = List.of(collection(a), collection(b));
            assertThat(both.get(1).countDocuments()).isEqualTo(both.get(0).countDocuments()).isGreaterThan(100);
            Random random = new Random(7);
            for (int q = 0; q < 150; q++) {
                assertSameAnswer(both, randomFilter(random));
            }
        } finally {
            reopenedPlain.shutdown();
            reopened.shutdown();
        }
    }

    @Test
    void aQueryByAnIndexedFieldNoLongerGrowsWithTheCollection() {
        MongoServer indexed = new MongoServer(new IndexedH2Backend(dir.resolve("timing.mv").toString()));
        MongoServer plain = new MongoServer(new H2Backend(dir.resolve("timing-plain.mv").toString()));
        try (MongoClient a = bound(indexed); MongoClient b = bound(plain)) {
            MongoCollection<Document> fast = collection(a);
            MongoCollection<Document> slow = collection(b);
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                docs.add(new Document("_id", "d" + i).append("caseId", "case-" + (i / 4)).append("state", "PENDING")
                        .append("payload", "x".repeat(200)));
            }
            fast.insertMany(docs);
            slow.insertMany(docs);
            // Not a timing assertion: the plain backend decodes all 10,000 documents per query, the indexed one 4.
            // The count of documents each query had to look at is what differs; the time is printed for the record.
            fast.find(Filters.eq("caseId", "warm-up")).first(); // builds the field index
            slow.find(Filters.eq("caseId", "warm-up")).first();
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                assertThat(fast.find(Filters.eq("caseId", "case-" + i)).into(new ArrayList<>())).hasSize(4);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                assertThat(slow.find(Filters.eq("caseId", "case-" + i)).into(new ArrayList<>())).hasSize(4);
            }
            long t2 = System.nanoTime();
            System.out.printf("200 queries by caseId among 10,000 documents: indexed %.1f ms, plain %.1f ms%n",
                    (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        } finally {
            indexed.shutdown();
            plain.shutdown();
        }
    }

    @Test
    void theNewestOfASparseFieldIsFoundByWalkingItsIndex() {
        MongoServer plain = new MongoServer(new H2Backend(dir.resolve("sparse-plain.mv").toString()));
        MongoServer indexed = new MongoServer(new IndexedH2Backend(dir.resolve("sparse.mv").toString()));
        try (MongoClient a = bound(plain); MongoClient b = bound(indexed)) {
            List<MongoCollection<Document>> both = List.of(a.getDatabase("t").getCollection("events"),
                    b.getDatabase("t").getCollection("events"));
            both.forEach(c -> c.createIndex(Indexes.ascending("globalIndex"),
                    new IndexOptions().unique(true).sparse(true)));
            Random random = new Random(11);
            List<Long> positions = new ArrayList<>();
            for (long p = 1; p <= 3_000; p++) {
                positions.add(p);
            }
            java.util.Collections.shuffle(positions, random);
            for (int i = 0; i < positions.size(); i++) {
                Document doc = new Document("_id", "e" + i);
                if (i % 10 != 0) { // every tenth without a position yet, as events stored before the engine
                    doc.append("globalIndex", positions.get(i));
                }
                both.forEach(c -> c.insertOne(new Document(doc)));
            }
            for (MongoCollection<Document> c : both) {
                Document newest = c.find(Filters.exists("globalIndex")).sort(Sorts.descending("globalIndex")).limit(1).first();
                assertThat(newest).isNotNull();
                assertThat(newest.getLong("globalIndex")).isEqualTo(positions.stream()
                        .filter(p -> positions.indexOf(p) % 10 != 0).mapToLong(Long::longValue).max().orElseThrow());
                // ascending without a filter: the documents without the field come first, as MongoDB sorts them
                assertThat(c.find().sort(Sorts.ascending("globalIndex")).limit(3).into(new ArrayList<>()))
                        .allSatisfy(d -> assertThat(d.containsKey("globalIndex")).isFalse());
            }
            for (int q = 0; q < 40; q++) {
                assertSameSortedPage(both, random.nextBoolean() ? new Document()
                        : Filters.gt("globalIndex", (long) random.nextInt(3_000)), random);
            }
        } finally {
            plain.shutdown();
            indexed.shutdown();
        }
    }

    @Test
    void theOldestDueOfManyPendingIsClaimedByWalkingTheSecondFieldOfAnIndex() {
        MongoServer plain = new MongoServer(new H2Backend(dir.resolve("claims-plain.mv").toString()));
        MongoServer indexed = new MongoServer(new IndexedH2Backend(dir.resolve("claims.mv").toString()));
        try (MongoClient a = bound(plain); MongoClient b = bound(indexed)) {
            List<MongoCollection<Document>> both = List.of(a.getDatabase("t").getCollection("deliveries"),
                    b.getDatabase("t").getCollection("deliveries"));
            both.forEach(c -> c.createIndex(Indexes.ascending("state", "nextAttemptAt")));
            Random random = new Random(17);
            Instant start = Instant.parse("2026-11-29T07:00:00Z");
            List<Integer> seconds = new ArrayList<>();
            for (int s = 0; s < 3_000; s++) {
                seconds.add(s);
            }
            java.util.Collections.shuffle(seconds, random);
            for (int i = 0; i < 3_000; i++) {
                // a third sent and a third dead (no next attempt), a third pending with distinct due times
                String state = i % 3 == 0 ? "SENT" : i % 3 == 1 ? "PENDING" : "DEAD";
                Document doc = new Document("_id", "delivery-" + i).append("state", state).append("nextAttemptAt",
                        state.equals("PENDING") ? Date.from(start.plusSeconds(seconds.get(i))) : null);
                both.forEach(c -> c.insertOne(new Document(doc)));
            }
            // the worker's claim, as DeliveryStore makes it: the oldest due pending one, leased for an hour
            for (int claim = 0; claim < 300; claim++) {
                Date now = Date.from(start.plusSeconds(random.nextInt(3_000)));
                Bson due = Filters.and(Filters.eq("state", "PENDING"), Filters.lte("nextAttemptAt", now));
                // distinct leases (a millisecond per claim): which of two equal values sorts first is not defined
                Bson lease = Updates.set("nextAttemptAt", Date.from(now.toInstant().plusSeconds(3_600).plusMillis(claim)));
                List<Object> claimed = new ArrayList<>();
                for (MongoCollection<Document> c : both) {
                    Document before = c.findOneAndUpdate(due, lease, new com.mongodb.client.model.FindOneAndUpdateOptions()
                            .sort(Sorts.ascending("nextAttemptAt")));
                    claimed.add(before == null ? null : before.get("_id"));
                }
                assertThat(claimed.get(1)).as("claim %d at %s", claim, now).isEqualTo(claimed.get(0));
            }
            for (int q = 0; q < 60; q++) {
                Date at = Date.from(start.plusSeconds(random.nextInt(5_000)));
                Bson range = random.nextBoolean() ? Filters.lte("nextAttemptAt", at) : Filters.gt("nextAttemptAt", at);
                Bson filter = Filters.and(Filters.eq("state", "PENDING"), range);
                Bson sort = random.nextBoolean() ? Sorts.ascending("nextAttemptAt") : Sorts.descending("nextAttemptAt");
                int limit = 1 + random.nextInt(20);
                int skip = random.nextInt(4);
                Function<MongoCollection<Document>, List<Object>> run = c -> c.find(filter).sort(sort).skip(skip)
                        .limit(limit).map(d -> d.get("_id")).into(new ArrayList<>());
                assertThat(run.apply(both.get(1))).as("%s sorted %s skip %d limit %d", filter, sort, skip, limit)
                        .isEqualTo(run.apply(both.get(0)));
            }
        } finally {
            plain.shutdown();
            indexed.shutdown();
        }
    }

    /**
     * A page of a query sorted on one field: the same values in the same order (which of several documents with an
     * equal value comes first is not defined, in MongoDB either).
     */
    private static void assertSameSortedPage(List<MongoCollection<Document>> both, Bson filter, Random random) {
        // not n: its arrays sort by their least or greatest element, so tied documents show different values
        List<String> fields = List.of("_id", "caseId", "state", "timestamp", "globalIndex");
        String field = fields.get(random.nextInt(fields.size()));
        Bson sort = random.nextBoolean() ? Sorts.ascending(field) : Sorts.descending(field);
        int limit = 1 + random.nextInt(20);
        int skip = random.nextInt(4);
        Function<MongoCollection<Document>, List<Object>> run = c -> c.find(filter).sort(sort).skip(skip).limit(limit)
                .map(d -> d.get(field)).into(new ArrayList<>());
        assertThat(run.apply(both.get(1))).as("%s sorted %s skip %d limit %d", filter, sort, skip, limit)
                .isEqualTo(run.apply(both.get(0)));
    }

    private static void assertSameAnswer(List<MongoCollection<Document>> both, Bson filter) {
        Function<MongoCollection<Document>, List<Document>> run =
                c -> c.find(filter).sort(Sorts.ascending("_id")).into(new ArrayList<>());
        List<Document> expected = run.apply(both.get(0));
        assertThat(run.apply(both.get(1))).as("%s", filter).isEqualTo(expected);
        assertThat(both.get(1).countDocuments(filter)).as("count %s", filter).isEqualTo(expected.size());
    }

    /** Binds the server to a free loopback port and answers a client of it. */
    private static MongoClient bound(MongoServer server) {
        int port = Ports.freePort();
        server.bind(Ports.LOOPBACK, port);
        return MongoClients.create("mongodb://" + Ports.LOOPBACK + ":" + port);
    }

    private static MongoCollection<Document> collection(MongoClient client) {
        MongoCollection<Document> c = client.getDatabase("t").getCollection("things");
        c.createIndex(Indexes.ascending("caseId"));
        c.createIndex(Indexes.ascending("state", "dueAt"));
        c.createIndex(Indexes.ascending("timestamp", "sequence"));
        c.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true).name("_id_version"));
        c.createIndex(Indexes.ascending("n"));
        return c;
    }

    private static Document randomDocument(Random random, int i) {
        Document d = new Document("_id", "d" + i).append("caseId", "case-" + random.nextInt(60))
                .append("state", STATES[random.nextInt(STATES.length)])
                .append("dueAt", Date.from(Instant.parse("2017-01-01T00:00:00Z").plusSeconds(random.nextInt(1_000_000))))
                .append("timestamp", "2026-11-28T10:" + String.format("%02d:%02d", random.nextInt(60), random.nextInt(60)) + "Z")
                .append("version", (long) random.nextInt(3))
                .append("sequence", random.nextInt(100));
        switch (random.nextInt(6)) { // n: mixed types, arrays, null, missing
            case 0 -> d.append("n", random.nextInt(10));
            case 1 -> d.append("n", (double) random.nextInt(10));
            case 2 -> d.append("n", List.of(random.nextInt(10), random.nextInt(10)));
            case 3 -> d.append("n", null);
            case 4 -> d.append("n", String.valueOf(random.nextInt(10)));
            default -> { }
        }
        return d;
    }

    private static Bson randomFilter(Random random) {
        String caseId = "case-" + random.nextInt(62);
        String state = STATES[random.nextInt(STATES.length)];
        String time = "2026-11-28T10:" + String.format("%02d", random.nextInt(60)) + ":00Z";
        int n = random.nextInt(11);
        return switch (random.nextInt(17)) {
            case 0 -> Filters.eq("caseId", caseId);
            case 1 -> new Document("state", state).append("dueAt", new Document("$lte",
                    Date.from(Instant.parse("2017-01-01T00:00:00Z").plusSeconds(random.nextInt(1_000_000)))));
            case 2 -> Filters.and(Filters.gte("timestamp", time), Filters.nin("_id", List.of("d1", "d2", "d3")));
            case 3 -> new Document("_id", "d" + random.nextInt(700)).append("version", (long) random.nextInt(3));
            case 4 -> Filters.in("state", List.of(state, "MET"));
            case 5 -> Filters.eq("n", n);
            case 6 -> Filters.eq("n", (Object) null);
            case 7 -> Filters.gt("n", n);
            case 8 -> Filters.lte("n", (double) n);
            case 9 -> Filters.in("n", List.of(n, String.valueOf(n)));
            case 10 -> Filters.and(Filters.eq("caseId", caseId), Filters.gte("sequence", random.nextInt(100)));
            case 11 -> Filters.ne("state", state);
            case 12 -> Filters.and(Filters.lt("timestamp", time), Filters.gt("timestamp", "2026-11-28T10:10:00Z"));
            // two ranges on one field, merged into one by the index (a tracking read's shape), also across types
            case 13 -> Filters.and(Filters.gt("n", n), Filters.lte("n", n + random.nextInt(4)));
            case 14 -> Filters.and(Filters.gte("n", n), Filters.lt("n", String.valueOf(n)));
            case 15 -> Filters.and(Filters.gt("timestamp", time), Filters.lte("timestamp", "2026-11-28T10:59:59Z"),
                    Filters.gte("timestamp", "2026-11-28T10:30:00Z"));
            default -> Filters.or(Filters.eq("caseId", caseId), Filters.eq("state", state));
        };
    }
}
