package org.civharm.accountability.views;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.bson.Document;
import org.civharm.accountability.config.AxonMongoConfig;
import org.civharm.accountability.eventstore.SequencedMongoEventStorageEngine;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AccountabilityRecordOpenedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Rebuilds the record view ({@value AxonMongoConfig#VIEWS}) from the event store without taking it away from readers:
 * the whole store is folded ({@link AccountabilityRecords}) into a fresh collection while the live one keeps
 * answering; once caught up, the live tracking processor is stopped, the last events are drained, the pointer is
 * switched and the processor restarted (it re-applies nothing twice: writes are idempotent by case sequence). The
 * replaced collection is kept until the next rebuild, for comparison.
 */
@Component
public class RecordViewRebuild implements RebuildableProjection {

    private static final Logger log = LoggerFactory.getLogger(RecordViewRebuild.class);

    /** Longest a drain may take to reach its target position before the rebuild gives up (the live view is kept). */
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);
    private final SequencedMongoEventStorageEngine storageEngine;
    private final AccountabilityRecordRepository repository;
    private final EventProcessingConfiguration processing;
    private final MongoCollection<Document> storedEvents;
    private final Clock clock;
    private volatile RebuildProgress progress;
    private volatile String replaced;

    public RecordViewRebuild(SequencedMongoEventStorageEngine storageEngine,
                             AccountabilityRecordRepository repository,
                             EventProcessingConfiguration processing, MongoClient client, CivharmMongoProperties mongo,
                             Clock clock) {
        this.storageEngine = storageEngine;
        this.repository = repository;
        this.processing = processing;
        this.storedEvents = client.getDatabase(mongo.database()).getCollection("domainevents");
        this.clock = clock;
    }

    @Override
    public String name() {
        return AxonMongoConfig.VIEWS;
    }

    @Override
    public synchronized RebuildProgress start() {
        if (progress != null && progress.finishedAt() == null) {
            throw new IllegalStateException("a rebuild of " + name() + " is already running (started "
                    + progress.startedAt() + ")");
        }
        String target = AccountabilityRecordRepository.COLLECTION + "_" + clock.millis();
        progress = new RebuildProgress(target, clock.instant(), null, "CATCHING_UP", 0,
                storedEvents.estimatedDocumentCount(), 0, null);
        Thread worker = new Thread(() -> run(target), "rebuild-" + name());
        worker.setDaemon(true);
        worker.start();
        return progress;
    }

    @Override
    public ProjectionStatus describe() {
        Map<String, Object> position = new LinkedHashMap<>();
        TrackingToken token = null;
        var live = processing.eventProcessor(name(), StreamingEventProcessor.class);
        if (live.isPresent()) {
            for (EventTrackerStatus s : live.get().processingStatus().values()) {
                token = s.getTrackingToken();
                position.put("caughtUp", s.isCaughtUp());
            }
        }
        position.put("timestamp", storageEngine.timestampAt(token));
        position.put("globalIndex", token == null ? null : token.position().orElse(0));
        // the collection's metadata count: countDocuments() reads the whole store (on MongoDB too), and this runs for
        // every GET /admin/projections, which operators and the benchmark poll while a rebuild runs. On the embedded
        // server those scans, with the rebuild's own progress updates, stretched a rebuild of 60 k events to 17 minutes
        // (benchmark run H).
        long total = storedEvents.estimatedDocumentCount();
        long lag = storageEngine.countAfter(token);
        return new ProjectionStatus(name(), "event store (domainevents)", repository.currentCollection(), position,
                total, lag, progress, replaced);
    }

    @Override
    public List<Document> contents(String collection) {
        return repository.contents(collection);
    }

    private void run(String target) {
        try {
            repository.prepareEmpty(target);
            TrackingToken position = drain(storageEngine.createTailToken(), target, storageEngine.lastPosition(),
                    "CATCHING_UP");
            StreamingEventProcessor live = processing.eventProcessor(name(), StreamingEventProcessor.class)
                    .orElseThrow(() -> new IllegalStateException("no processor " + name()));
            live.shutDown();
            try {
                drain(position, target, storageEngine.lastPosition(), "DRAINING");
                replaced = repository.switchTo(target);
            } finally {
                live.start();
            }
            progress = progress.finished(clock.instant(), null);
            log.info("rebuilt {} into {} from {} events; replaced {}", name(), target, progress.done(), replaced);
        } catch (Exception e) {
            log.error("rebuild of {} failed; the live view is unchanged", name(), e);
            progress = progress.finished(clock.instant(), e.toString());
            repository.drop(target);
        }
    }

    /**
     * Applies the stored events after {@code from} until it has passed {@code until} (the store's last position when
     * the phase began), then reads once more for events committed late into gaps below it; answers the position
     * reached. Reads the storage engine directly rather than through Axon's shared event-store stream, which hands a
     * reader at the head over to its cache of new events by token equality and can leave it waiting for events
     * already stored (found by incident-service's rebuild test). It used to stop after 2 s, then 1 s of silence.
     */
    private TrackingToken drain(TrackingToken from, String target, long until, String phase) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        long done = progress.done();
        TrackingToken position = from;
        boolean passed = false;
        while (true) {
            long reached = position == null ? -1 : position.position().orElse(-1);
            boolean wasPassed = passed;
            passed = reached >= until;
            int applied = 0;
            try (Stream<? extends TrackedEventMessage<?>> stored = storageEngine.readEvents(position, false)) {
                var events = stored.iterator();
                while (events.hasNext()) {
                    TrackedEventMessage<?> message = events.next();
                    apply(message, target);
                    position = message.trackingToken();
                    applied++;
                    if (++done % 200 == 0) {
                        progress = progress.advanced(done, storedEvents.estimatedDocumentCount(), 0, phase);
                    }
                }
            }
            progress = progress.advanced(done, storedEvents.estimatedDocumentCount(), 0, phase);
            if (wasPassed && passed) {
                return position; // a full read after passing the target: late gap fills are in
            }
            if (applied == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the event store did not reach position " + until + " within "
                            + DRAIN_LIMIT + " (at " + reached + ")");
                }
                Thread.sleep(200);
            }
        }
    }

    private void apply(TrackedEventMessage<?> message, String target) {
        if (message instanceof DomainEventMessage<?> domain && domain.getPayload() instanceof AccountabilityEvent event) {
            if (event instanceof AccountabilityRecordOpenedEvent opened) {
                repository.insertIfAbsent(target, AccountabilityRecords.opened(opened, domain.getSequenceNumber()));
            } else {
                repository.update(target, event.caseId(), domain.getSequenceNumber(),
                        v -> AccountabilityRecords.apply(v, event));
            }
        }
    }
}
