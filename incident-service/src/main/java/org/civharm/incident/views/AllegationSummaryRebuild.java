package org.civharm.incident.views;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntry;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.bson.Document;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.incident.config.AxonMongoConfig;
import org.civharm.incident.config.CivharmMongoProperties;
import org.civharm.incident.eventstore.SequencedMongoEventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rebuilds the summary view from the event store without taking it away from readers: the whole store is folded
 * into a fresh collection while the live one keeps answering; once the rebuild has caught up, the live projection
 * is paused, the last events are drained, the pointer is switched and the projection resumes (it re-applies nothing:
 * every write is idempotent by case sequence). The replaced collection is kept until the next rebuild, so the two
 * can be compared.
 * <p>
 * The fold runs in two phases, so that each case is folded in memory and written once per page that holds its events,
 * not once per event (a replay event by event reads and rewrites a case's document for every event):
 * <ol>
 *   <li><b>bulk</b>: the stored events read a page of global positions at a time ({@code civharm.rebuild.page-size},
 *       2,000 by default; on MongoDB a walk of the {@code globalIndex} index), each page's events grouped by case and
 *       folded in memory through the same functions as the live projection onto what earlier pages stored, and
 *       written in one bulk write per page;</li>
 *   <li><b>catch-up</b>: Axon's event stream from {@value #CATCH_UP_MARGIN_SECONDS} s before the rebuild started,
 *       folded a page of events at a time like the bulk phase (idempotent by case sequence): whatever the bulk
 *       read missed — events appended during it, or committed up to the append timeout after they were stamped — is
 *       in that window.</li>
 * </ol>
 */
@Component
public class AllegationSummaryRebuild {

    public static final String VIEW = AxonMongoConfig.VIEWS;
    /**
     * How far before the start the catch-up phase re-reads: longer than an append may take to commit (the event
     * store's append timeout, {@code civharm.eventstore.append-timeout}, 15 s by default).
     */
    static final long CATCH_UP_MARGIN_SECONDS = 30;
    private static final int QUIET_MS = 200;
    /** Longest a drain may take to reach its target position before the rebuild gives up (the live view is kept). */
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(AllegationSummaryRebuild.class);

    private final SequencedMongoEventStorageEngine storageEngine;
    private final AllegationSummaryRepository repository;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final MongoCollection<Document> storedEvents;
    private final Clock clock;
    private final Serializer eventSerializer;
    private final EventUpcaster upcasters;
    private final int pageSize;
    /**
     * Cases the running rebuild has written into its new collection, which nothing else writes before the switch:
     * only these are looked up before a page is folded. Looking up every case of a page ({@code _id $in} a
     * thousand ids, most of them new) cost the Mongo-wire server more than the events it read: it matches each
     * document found against the whole list (174 of its 448 find samples in a rebuild at 10 k cases). Bounded: past
     * {@value #REMEMBERED_CASES} cases every case of a page is looked up again.
     */
    private final Set<String> written = new HashSet<>();
    private boolean rememberingWritten; // both used by the rebuild's worker thread only
    static final int REMEMBERED_CASES = 1_000_000;
    private volatile RebuildStatus status;
    /** Events of the catch-up window applied by the running rebuild (most were folded by the bulk phase already). */
    private final AtomicLong caughtUp = new AtomicLong();
    private volatile String replacedCollection;

    public AllegationSummaryRebuild(SequencedMongoEventStorageEngine storageEngine,
                                    AllegationSummaryRepository repository,
                                    EventProcessingConfiguration processing, TokenStore tokenStore, MongoClient client,
                                    CivharmMongoProperties mongo, Clock clock,
                                    @Qualifier("eventSerializer") Serializer eventSerializer,
                                    org.axonframework.config.Configuration axon,
                                    @Value("${civharm.rebuild.page-size:2000}") int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("civharm.rebuild.page-size must be at least 1, not " + pageSize);
        }
        this.storageEngine = storageEngine;
        this.repository = repository;
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.storedEvents = client.getDatabase(mongo.database()).getCollection("domainevents");
        this.clock = clock;
        this.eventSerializer = eventSerializer;
        this.upcasters = axon.upcasterChain();
        this.pageSize = pageSize;
    }

    /** Starts a rebuild in the background; refused while one runs. */
    public synchronized RebuildStatus start() {
        if (status != null && status.finishedAt() == null) {
            throw new IllegalStateException("a rebuild of " + VIEW + " is already running (started "
                    + status.startedAt() + ")");
        }
        String target = AllegationSummaryRepository.COLLECTION + "_" + clock.millis();
        caughtUp.set(0);
        status = new RebuildStatus(target, clock.instant(), null, 0, storedEvents.estimatedDocumentCount(), 0, null);
        Thread worker = new Thread(() -> run(target), "rebuild-" + VIEW);
        worker.setDaemon(true);
        worker.start();
        return status;
    }

    /** The projection's state: live collection, position and lag, and the last or running rebuild. */
    public ProjectionStatus describe() {
        TrackingToken token = null;
        try {
            token = tokenStore.fetchToken(VIEW, 0);
        } catch (RuntimeException e) {
            log.debug("no token for {} yet", VIEW, e);
        }
        // the collection's metadata count: countDocuments() reads the whole store (on MongoDB too), and this runs for
        // every GET /admin/projections, which operators and the benchmark poll while a rebuild runs. On the embedded
        // server those scans, with the rebuild's own progress updates, stretched a rebuild of 60 k events to 17 minutes
        // (benchmark run H).
        long total = storedEvents.estimatedDocumentCount();
        return new ProjectionStatus(VIEW, "event store", repository.currentName(), storageEngine.timestampAt(token),
                total, storageEngine.countAfter(token), status, replacedCollection);
    }

    private void run(String target) {
        AtomicLong done = new AtomicLong();
        Instant started = status.startedAt();
        try {
            MongoCollection<Document> into = repository.prepared(target);
            into.deleteMany(new Document());
            written.clear();
            rememberingWritten = true;
            TrackingToken position = storageEngine.createTokenAt(started.minusSeconds(CATCH_UP_MARGIN_SECONDS));
            foldStoredEvents(into, done, started);
            position = drain(position, into, started, storageEngine.lastPosition());
            StreamingEventProcessor live = processing.eventProcessor(VIEW, StreamingEventProcessor.class)
                    .orElseThrow(() -> new IllegalStateException("no processor " + VIEW));
            live.shutDown();
            try {
                drain(position, into, started, storageEngine.lastPosition());
                replacedCollection = repository.switchTo(target);
            } finally {
                live.start();
            }
            status = progress(target, started, done.get(), clock.instant(), null);
            log.info("rebuilt {} into {} from {} events; replaced {}", VIEW, target, done.get(), replacedCollection);
        } catch (Exception e) {
            log.error("rebuild of {} failed; the live view is unchanged", VIEW, e);
            status = progress(target, started, done.get(), clock.instant(), e.toString());
            repository.drop(target);
        }
    }

    /**
     * The bulk phase: the stored events up to the store's last position, a page of positions at a time in their
     * global order (which agrees with every case's order); each page's events grouped by case, folded in memory onto
     * what earlier pages stored for the case, and written in one bulk write. Memory and the time any one query takes
     * stay bounded by the page, whatever the size of the register: this phase used to read the whole store in one
     * query sorted by (case, sequence), which the embedded server answers by sorting every stored event in its memory
     * while it holds the collection's lock (benchmark run J: 689 events/s at 30 k cases, against 6,161 at 10 k).
     */
    private void foldStoredEvents(MongoCollection<Document> into, AtomicLong done, Instant started)
            throws InterruptedException, ExecutionException {
        long until = storageEngine.lastPosition();
        // The next page is read and deserialised on a second thread while this one folds and writes the current one:
        // a rebuild alternated between waiting for the store and using this service's CPU (in benchmark short runs
        // the service was at 0.8 of a core and the store at 0.4). Two pages at most are in memory.
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "rebuild-" + VIEW + "-reader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<Page> next = until > 0 ? reader.submit(() -> readPage(0)) : null;
            for (long from = 0; from < until; from += pageSize) {
                Page page = next.get();
                long following = from + pageSize;
                next = following < until ? reader.submit(() -> readPage(following)) : null;
                foldPage(page.byCase(), into);
                status = progress(status.collection(), started, done.addAndGet(page.read()), null, null);
            }
        } finally {
            reader.shutdownNow();
        }
    }

    /** One page's events, deserialised and grouped by case in their order. */
    private record Page(Map<String, List<DomainEventMessage<?>>> byCase, int read) {
    }

    /** The stored events at global positions (from, from + pageSize], through Axon's serializer and upcasters. */
    private Page readPage(long from) {
        Map<String, List<DomainEventData<?>>> stored = new LinkedHashMap<>();
        int read = 0;
        try (MongoCursor<Document> cursor = storedEvents.find(Filters.and(
                        Filters.gt(SequencedMongoEventStorageEngine.GLOBAL_INDEX, from),
                        Filters.lte(SequencedMongoEventStorageEngine.GLOBAL_INDEX, from + pageSize)))
                .sort(Sorts.ascending(SequencedMongoEventStorageEngine.GLOBAL_INDEX)).batchSize(pageSize).iterator()) {
            while (cursor.hasNext()) {
                Document doc = cursor.next();
                read++;
                if (doc.containsKey(SequencedMongoEventStorageEngine.VOIDED)) {
                    continue; // the position of a refused append: no case's event
                }
                stored.computeIfAbsent(doc.getString("aggregateIdentifier"), id -> new ArrayList<>())
                        .add(new EventEntry(doc, EventEntryConfiguration.getDefault()));
            }
        }
        Map<String, List<DomainEventMessage<?>>> byCase = new LinkedHashMap<>();
        // through Axon's serializer and upcaster chain, as the event store itself reads them
        stored.forEach((caseId, caseEvents) -> byCase.put(caseId, EventStreamUtils.asStream(EventStreamUtils
                .upcastAndDeserializeDomainEvents(caseEvents.stream(), eventSerializer, upcasters))
                .<DomainEventMessage<?>>map(m -> {
                    m.getPayload(); // deserialised here, on the reader thread: Axon defers it to the first getPayload
                    return m;
                }).toList()));
        return new Page(byCase, read);
    }

    private void foldPage(Map<String, List<DomainEventMessage<?>>> byCase, MongoCollection<Document> into) {
        if (byCase.isEmpty()) {
            return;
        }
        Map<Object, Document> stored = new HashMap<>();
        List<String> known = rememberingWritten ? byCase.keySet().stream().filter(written::contains).toList()
                : new ArrayList<>(byCase.keySet());
        if (!known.isEmpty()) {
            into.find(Filters.in("_id", known)).forEach(d -> stored.put(d.get("_id"), d));
        }
        List<WriteModel<Document>> writes = new ArrayList<>();
        byCase.forEach((caseId, messages) -> {
            Document before = stored.get(caseId);
            Document folded = repository.foldOnto(before, messages);
            if (folded != null) {
                writes.add(before == null ? new InsertOneModel<>(folded)
                        : new ReplaceOneModel<>(Filters.eq("_id", caseId), folded));
            }
        });
        if (!writes.isEmpty()) {
            into.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        }
        if (rememberingWritten) {
            written.addAll(byCase.keySet()); // a case with nothing written yet is looked up for nothing: harmless
            if (written.size() > REMEMBERED_CASES) {
                rememberingWritten = false;
                written.clear();
            }
        }
    }

    /**
     * Applies the stored events after {@code from} until it has passed {@code target} (the store's last position
     * when the phase began), then reads once more for events committed late into gaps below it; answers the position
     * reached. Reads the storage engine directly: Axon's shared event-store stream hands a reader that reaches the
     * head over to its cache of new events by token equality, and a reader whose token differs from the cache's (its
     * gaps differ) then waited for events that were already stored (found by this rebuild's test). It used to wait
     * for 2 s and then 1 s of silence instead, which under steady load might never come.
     */
    private TrackingToken drain(TrackingToken from, MongoCollection<Document> into, Instant started, long target)
            throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        TrackingToken position = from;
        boolean passed = false;
        while (true) {
            long reached = position == null ? -1 : position.position().orElse(-1);
            boolean wasPassed = passed;
            passed = reached >= target;
            int applied = 0;
            try (Stream<? extends TrackedEventMessage<?>> stored = storageEngine.readEvents(position, false)) {
                var events = stored.iterator();
                Map<String, List<DomainEventMessage<?>>> chunk = new LinkedHashMap<>();
                int inChunk = 0;
                while (events.hasNext()) {
                    TrackedEventMessage<?> message = events.next();
                    if (message instanceof DomainEventMessage<?> domain && domain.getPayload() instanceof IncidentEvent) {
                        chunk.computeIfAbsent(domain.getAggregateIdentifier(), id -> new ArrayList<>()).add(domain);
                    }
                    applied++;
                    if (++inChunk == pageSize || !events.hasNext()) {
                        // a chunk at a time, as the bulk phase folds a page: applied event by event, a catch-up
                        // window under load (every event of the 30 s before the start) took longer than the bulk
                        // phase itself (benchmark: 0.9 s to fold 3,981 events, then 12.8 s to drain and switch)
                        foldPage(chunk, into);
                        caughtUp.addAndGet(inChunk);
                        position = message.trackingToken();
                        chunk.clear();
                        inChunk = 0;
                    }
                }
            }
            status = progress(status.collection(), started, status.done(), null, null);
            if (wasPassed && passed) {
                return position; // a full read after passing the target: late gap fills are in
            }
            if (applied == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the event store did not reach position " + target + " within "
                            + DRAIN_LIMIT + " (at " + reached + ")");
                }
                Thread.sleep(QUIET_MS);
            }
        }
    }

    private RebuildStatus progress(String collection, Instant started, long done, Instant finished, String error) {
        return new RebuildStatus(collection, started, finished, done, Math.max(done, storedEvents.estimatedDocumentCount()),
                caughtUp.get(), error);
    }

    /**
     * A rebuild's progress.
     *
     * @param done     events folded so far by the bulk phase
     * @param total    events in the store (grows while commands arrive)
     * @param caughtUp events of the catch-up window re-read through the event stream (applied unless folded already)
     */
    public record RebuildStatus(String collection, Instant startedAt, Instant finishedAt, long done, long total,
                                long caughtUp, String error) {

        /** Events per second so far. */
        public double rate() {
            Instant end = finishedAt != null ? finishedAt : Instant.now();
            double seconds = Math.max(0.001, Duration.between(startedAt, end).toMillis() / 1000.0);
            return done / seconds;
        }

        /** Estimated seconds left; 0 when finished, null before the first events are folded. */
        public Double etaSeconds() {
            return finishedAt != null ? Double.valueOf(0) : done == 0 ? null : Math.max(0, total - done) / rate();
        }
    }

    /** What {@code GET /admin/projections} shows for a projection. */
    public record ProjectionStatus(String name, String source, String collection, Instant position, long sourceEvents,
                                   long lag, RebuildStatus rebuild, String replacedCollection) {
    }
}
