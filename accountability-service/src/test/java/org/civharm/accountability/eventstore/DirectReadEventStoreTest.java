package org.civharm.accountability.eventstore;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Processors' streams reading the global-sequence store directly, on the Mongo wire protocol through the real driver:
 * woken by this instance's commits, polling for another instance's, and not stranded after a burst they could not
 * follow (what Axon's shared cache did: a reader then found new events only when its one-second wait ran out).
 */
class DirectReadEventStoreTest {

    private static MongoServer server;
    private static MongoClient client;
    private static final AtomicInteger databases = new AtomicInteger();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private MongoDatabase database;

    @BeforeAll
    static void startServer() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.shutdownNow();
    }

    @AfterEach
    void stopReaders() {
        readers.shutdownNow();
    }

    private SequencedMongoEventStorageEngine engine() {
        if (database == null) {
            database = client.getDatabase("direct_read_test_" + databases.incrementAndGet());
        }
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        SequencedMongoEventStorageEngine engine = SequencedMongoEventStorageEngine.builder().database(database)
                .eventSerializer(serializer).snapshotSerializer(serializer).build();
        engine.prepare();
        return engine;
    }

    private static DirectReadEventStore store(SequencedMongoEventStorageEngine engine, Duration pollInterval) {
        return new DirectReadEventStore(EmbeddedEventStore.builder(), engine, pollInterval);
    }

    /** Published through the store in a unit of work, as a command handler's events are. */
    private static void commit(EmbeddedEventStore store, String caseId) {
        DefaultUnitOfWork.startAndGet(null).execute(() ->
                store.publish(new GenericDomainEventMessage<>("Allegation", caseId, 0, caseId)));
    }

    private static void storeElsewhere(SequencedMongoEventStorageEngine otherInstance, String caseId) {
        otherInstance.appendEvents(List.of(new GenericDomainEventMessage<>("Allegation", caseId, 0, caseId)));
    }

    /** The next event, waiting for it as long as a processor would wait in one call (here: far past the test's patience). */
    private Future<Object> nextPayload(TrackingEventStream stream) {
        return readers.submit(() -> stream.hasNextAvailable(10, TimeUnit.MINUTES) ? stream.nextAvailable().getPayload() : null);
    }

    @Test
    void aCommitThroughThisInstanceWakesAWaitingReaderAtOnce() throws Exception {
        DirectReadEventStore store = store(engine(), Duration.ofMinutes(10));
        TrackingEventStream stream = store.openStream(null);
        Future<Object> next = nextPayload(stream);
        Thread.sleep(200); // the reader has read, found nothing and waits
        commit(store, "A");
        assertThat(next.get(10, TimeUnit.SECONDS)).as("not the ten-minute poll").isEqualTo("A");
    }

    @Test
    void anotherInstancesEventsAreFoundByThePoll() throws Exception {
        SequencedMongoEventStorageEngine engine = engine();
        SequencedMongoEventStorageEngine otherInstance = engine();
        TrackingEventStream rarely = store(engine, Duration.ofMinutes(10)).openStream(null);
        TrackingEventStream often = store(engine, Duration.ofMillis(200)).openStream(null);
        assertThat(rarely.hasNextAvailable(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(often.hasNextAvailable(300, TimeUnit.MILLISECONDS)).isFalse();

        storeElsewhere(otherInstance, "B");
        assertThat(often.hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
        assertThat(often.nextAvailable().getPayload()).isEqualTo("B");
        assertThat(rarely.hasNextAvailable(500, TimeUnit.MILLISECONDS)).as("no commit here, no poll due yet").isFalse();
    }

    /**
     * The case that made this class: a reader that fell behind a burst written mostly by another instance, then at the
     * head again. Axon's shared cache left it on a private stream waiting for a signal only the cache's producer gave,
     * and the producer had stopped reading (measured with Axon's store here: every later event 0.97 s late).
     */
    @Test
    void afterABurstItCouldNotFollowAReaderIsStillWokenByEachCommit() throws Exception {
        SequencedMongoEventStorageEngine engine = engine();
        SequencedMongoEventStorageEngine otherInstance = engine();
        DirectReadEventStore store = store(engine, Duration.ofMinutes(10));
        TrackingEventStream stream = store.openStream(null);
        for (int i = 0; i < 300; i++) {
            storeElsewhere(otherInstance, "O" + i);
        }
        for (int i = 0; i < 100; i++) {
            commit(store, "L" + i);
        }
        List<Object> caughtUp = new ArrayList<>();
        while (stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)) {
            caughtUp.add(stream.nextAvailable().getPayload());
        }
        assertThat(caughtUp).hasSize(400).startsWith("O0", "O1").endsWith("L98", "L99");

        for (int i = 0; i < 10; i++) {
            Future<Object> next = nextPayload(stream);
            Thread.sleep(20);
            commit(store, "AFTER" + i);
            assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("AFTER" + i);
        }
    }

    @Test
    void aReaderGetsEveryEventOnceInOrderAcrossReads() throws Exception {
        SequencedMongoEventStorageEngine engine = engine();
        DirectReadEventStore store = store(engine, Duration.ofMillis(100));
        for (int i = 0; i < 250; i++) {
            commit(store, "E" + i);
        }
        TrackingEventStream stream = store.openStream(null);
        List<Object> read = new ArrayList<>();
        while (read.size() < 250 && stream.hasNextAvailable(5, TimeUnit.SECONDS)) {
            TrackedEventMessage<?> peeked = stream.peek().orElseThrow();
            TrackedEventMessage<?> taken = stream.nextAvailable();
            assertThat(taken).isSameAs(peeked);
            read.add(taken.getPayload());
        }
        assertThat(read).hasSize(250).doesNotHaveDuplicates().startsWith("E0", "E1").endsWith("E249");
        assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();

        TrackingEventStream fromMiddle = store.openStream(
                engine.readBatch(null).get(99).trackingToken());
        assertThat(fromMiddle.nextAvailable().getPayload()).isEqualTo("E100");
    }

    /** Processors that keep up ask for the same events after each commit: one query serves them all. */
    @Test
    void streamsAtTheSamePositionShareARead() throws Exception {
        AtomicInteger queries = new AtomicInteger();
        try (MongoClient counting = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + server.getLocalAddress().getPort()))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        if (event.getCommandName().equals("find")) {
                            queries.incrementAndGet();
                        }
                    }
                }).build())) {
            database = counting.getDatabase("direct_read_test_" + databases.incrementAndGet());
            DirectReadEventStore store = store(engine(), Duration.ofMinutes(10));
            TrackingEventStream first = store.openStream(null);
            TrackingEventStream second = store.openStream(null);
            commit(store, "S1");

            queries.set(0);
            assertThat(first.nextAvailable().getPayload()).isEqualTo("S1");
            assertThat(queries.get()).as("the first stream's read").isPositive();
            queries.set(0);
            assertThat(second.nextAvailable().getPayload()).isEqualTo("S1");
            assertThat(queries.get()).as("the second stream, at the same position, reads nothing").isZero();

            commit(store, "S2");
            assertThat(second.nextAvailable().getPayload()).isEqualTo("S2");
            queries.set(0);
            assertThat(first.nextAvailable().getPayload()).isEqualTo("S2");
            assertThat(queries.get()).isZero();
            assertThat(first.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(queries.get()).as("no commit since and no poll due: the store is not asked").isZero();
        }
    }

    @Test
    void refusesAPollIntervalThatIsNotPositive() {
        SequencedMongoEventStorageEngine engine = engine();
        for (Duration interval : List.of(Duration.ZERO, Duration.ofMillis(-1))) {
            assertThatThrownBy(() -> store(engine, interval)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("poll interval");
        }
    }

    @Test
    void aClosedStreamStopsWaitingAndIsForgotten() throws Exception {
        DirectReadEventStore store = store(engine(), Duration.ofMinutes(10));
        TrackingEventStream stream = store.openStream(null);
        assertThat(store.openStreams()).isEqualTo(1);
        Future<Boolean> waiting = readers.submit(() -> stream.hasNextAvailable(10, TimeUnit.MINUTES));
        Thread.sleep(200);
        stream.close();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(store.openStreams()).isZero();
    }
}
