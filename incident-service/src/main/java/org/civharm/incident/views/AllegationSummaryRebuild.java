package org.civharm.incident.views;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoTrackingToken;
import org.bson.Document;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.incident.config.AxonMongoConfig;
import org.civharm.incident.config.CivharmMongoProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rebuilds the summary view from the event store without taking it away from readers: the whole store is folded
 * into a fresh collection while the live one keeps answering; once the rebuild has caught up, the live projection
 * is paused, the last events are drained, the pointer is switched and the projection resumes (it re-applies nothing:
 * every write is idempotent by case sequence). The replaced collection is kept until the next rebuild, so the two
 * can be compared.
 */
@Component
public class AllegationSummaryRebuild {

    public static final String VIEW = AxonMongoConfig.VIEWS;
    private static final Logger log = LoggerFactory.getLogger(AllegationSummaryRebuild.class);

    private final EventStore eventStore;
    private final AllegationSummaryRepository repository;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final MongoCollection<Document> storedEvents;
    private final Clock clock;
    private volatile RebuildStatus status;
    private volatile String replacedCollection;

    public AllegationSummaryRebuild(EventStore eventStore, AllegationSummaryRepository repository,
                                    EventProcessingConfiguration processing, TokenStore tokenStore, MongoClient client,
                                    CivharmMongoProperties mongo, Clock clock) {
        this.eventStore = eventStore;
        this.repository = repository;
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.storedEvents = client.getDatabase(mongo.database()).getCollection("domainevents");
        this.clock = clock;
    }

    /** Starts a rebuild in the background; refused while one runs. */
    public synchronized RebuildStatus start() {
        if (status != null && status.finishedAt() == null) {
            throw new IllegalStateException("a rebuild of " + VIEW + " is already running (started "
                    + status.startedAt() + ")");
        }
        String target = AllegationSummaryRepository.COLLECTION + "_" + clock.millis();
        status = new RebuildStatus(target, clock.instant(), null, 0, storedEvents.countDocuments(), null);
        Thread worker = new Thread(() -> run(target), "rebuild-" + VIEW);
        worker.setDaemon(true);
        worker.start();
        return status;
    }

    /** The projection's state: live collection, position and lag, and the last or running rebuild. */
    public ProjectionStatus describe() {
        Instant position = null;
        try {
            if (tokenStore.fetchToken(VIEW, 0) instanceof MongoTrackingToken token) {
                position = token.getTimestamp();
            }
        } catch (RuntimeException e) {
            log.debug("no token for {} yet", VIEW, e);
        }
        long total = storedEvents.countDocuments();
        long lag = position == null ? total : storedEvents.countDocuments(Filters.gt("timestamp", position.toString()));
        return new ProjectionStatus(VIEW, "event store", repository.currentName(), position, total, lag, status,
                replacedCollection);
    }

    private void run(String target) {
        AtomicLong done = new AtomicLong();
        Instant started = status.startedAt();
        try {
            MongoCollection<Document> into = repository.prepared(target);
            into.deleteMany(new Document());
            try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(null)) {
                drain(stream, into, done, started, Duration.ofSeconds(2));
                StreamingEventProcessor live = processing.eventProcessor(VIEW, StreamingEventProcessor.class)
                        .orElseThrow(() -> new IllegalStateException("no processor " + VIEW));
                live.shutDown();
                try {
                    drain(stream, into, done, started, Duration.ofSeconds(1));
                    replacedCollection = repository.switchTo(target);
                } finally {
                    live.start();
                }
            }
            status = progress(target, started, done.get(), clock.instant(), null);
            log.info("rebuilt {} into {} from {} events; replaced {}", VIEW, target, done.get(), replacedCollection);
        } catch (Exception e) {
            log.error("rebuild of {} failed; the live view is unchanged", VIEW, e);
            status = progress(target, started, done.get(), clock.instant(), e.toString());
            repository.drop(target);
        }
    }

    private void drain(BlockingStream<TrackedEventMessage<?>> stream, MongoCollection<Document> into, AtomicLong done,
                       Instant started, Duration quiet) throws InterruptedException {
        while (stream.hasNextAvailable((int) quiet.toMillis(), TimeUnit.MILLISECONDS)) {
            TrackedEventMessage<?> message = stream.nextAvailable();
            if (message instanceof DomainEventMessage<?> domain && domain.getPayload() instanceof IncidentEvent event) {
                if (event instanceof AllegationFiledEvent filed) {
                    repository.insertIfAbsent(into, AllegationSummaries.filed(filed, domain.getSequenceNumber()));
                } else {
                    repository.update(into, event.caseId(), domain.getSequenceNumber(),
                            s -> AllegationSummaries.apply(s, event));
                }
            }
            long n = done.incrementAndGet();
            if (n % 500 == 0) {
                status = progress(status.collection(), started, n, null, null);
            }
        }
        status = progress(status.collection(), started, done.get(), null, null);
    }

    private RebuildStatus progress(String collection, Instant started, long done, Instant finished, String error) {
        return new RebuildStatus(collection, started, finished, done, Math.max(done, storedEvents.countDocuments()), error);
    }

    /**
     * A rebuild's progress.
     *
     * @param done  events folded so far
     * @param total events in the store (grows while commands arrive)
     */
    public record RebuildStatus(String collection, Instant startedAt, Instant finishedAt, long done, long total,
                                String error) {

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
