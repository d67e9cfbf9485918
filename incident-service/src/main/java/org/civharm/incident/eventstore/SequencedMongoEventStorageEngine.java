package org.civharm.incident.eventstore;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.messaging.MetaData;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoTrackingToken;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntry;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.axonframework.eventhandling.EventUtils.asDomainEventMessage;

/**
 * Axon event storage on MongoDB with a global sequence per store, so tracking processors read "the next events after
 * position N" instead of Axon's Mongo extension's time window (a look-back of 10 s whose every event id is sent back
 * with each query: at a few hundred events per second that query, run by every processor, cost more than the appends
 * themselves; see infra/BENCHMARKS.md).
 * <p>
 * Documents keep the Mongo extension's shape ({@code domainevents}, {@code snapshotevents}, the same fields and index
 * names), so everything that reads the stream by case with the driver is unchanged; each event gains
 * {@value #GLOBAL_INDEX} and {@value #STORED_AT}.
 * <p>
 * <b>Concurrent writers</b> (several instances on one replica set). An append reserves a block of positions from a
 * counter document ({@code $inc}, one round trip) and inserts its events at them. Reservation and insert are not
 * atomic, so a reader may see position N+1 before N: N is a <i>gap</i>. Readers track gaps in Axon's
 * {@link GapAwareTrackingToken} and re-ask for them, so an event committed late is still delivered. A gap is given
 * up only when the event stored after it is older than the gap timeout; an append whose insert has not completed
 * within the append timeout of its reservation is abandoned by the driver (client-side operation timeout) and fails,
 * so with the append timeout well below the gap timeout no event can land in a gap a reader has given up. Positions
 * of appends the store refused (a stale append to a case: 409) are filled with {@link PositionVoided} markers, which
 * readers pass like events no handler takes; positions of appends that failed otherwise (a timeout, a crash) stay
 * gaps and are given up the same way.
 * <p>
 * <b>Per-case order</b> follows from the unique (case, sequence) index: an instance can append event n+1 of a case
 * only after event n is stored (it loads or holds the case and the index refuses a stale append), so n+1 reserves its
 * position after n's insert was acknowledged, and the global order agrees with every case's order.
 * <p>
 * Stores written before this engine (no {@value #GLOBAL_INDEX}) are given positions once, at start-up, in timestamp
 * order; tracking tokens of the Mongo extension are translated (see {@link #fromLegacyToken}).
 */
public final class SequencedMongoEventStorageEngine extends BatchingEventStorageEngine {

    public static final String EVENTS = "domainevents";
    public static final String SNAPSHOTS = "snapshotevents";
    /** Holds the last reserved position of the store ({@code _id} = {@value #EVENTS}). */
    public static final String SEQUENCE = "eventsequence";
    public static final String GLOBAL_INDEX = "globalIndex";
    /** Set (true) on the {@link PositionVoided} markers at the positions of refused appends. */
    public static final String VOIDED = "voided";
    /** The writer's clock when the position was reserved: what gap timeouts are measured against. */
    public static final String STORED_AT = "storedAt";
    private static final String AGGREGATE = "aggregateIdentifier";
    private static final String SEQUENCE_NUMBER = "sequenceNumber";
    private static final String TIMESTAMP = "timestamp";
    private static final EventEntryConfiguration FIELDS = EventEntryConfiguration.getDefault();
    private static final long LOWEST_POSITION = 1;
    /**
     * How far past a reader's position one query looks. Positions are dense except for gaps, so a window of a few
     * batches holds a full batch; bounding it keeps each query on the index range it needs, also on servers whose
     * sort does not use the index (the embedded one).
     */
    private static final int WINDOW_BATCHES = 4;
    /**
     * Events of one case read per query. Axon asks in batches of the tracking batch size (100), so a case of 1,000
     * events took ten queries, each of which the embedded server answers by matching the whole case; a larger batch
     * is still bounded, and Axon asks again after a full one.
     */
    private static final int CASE_BATCH = 1_000;
    /** Events per read of a whole case's stream for {@link #storedStream} (about 1 kB an event as stored). */
    private static final int STREAM_PAGE = 5_000;
    /** Re-check rounds a batch may take before it is left for the next poll (see fetchTrackedEvents). */
    private static final int CHECK_ROUNDS = 5;
    private static final Logger log = LoggerFactory.getLogger(SequencedMongoEventStorageEngine.class);

    private final MongoCollection<Document> events;
    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> sequence;
    private final Clock clock;
    private final Duration appendTimeout;
    private final Duration gapTimeout;
    private final int maxGapOffset;
    private final Duration legacyLookBack;
    private volatile long nextGapCleaning;
    /**
     * When a poll that found nothing in its window last looked past it ({@link System#nanoTime}). That look is for a
     * run of failed appends' positions longer than the window, which is rare; at the head of the stream every empty
     * poll made it, one query more per poll for nothing (the benchmark counted about one per command).
     */
    private volatile long beyondWindowLookedAt = System.nanoTime() - BEYOND_WINDOW_INTERVAL_NANOS;
    private static final long BEYOND_WINDOW_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The counter's value after this instance's last reservation; -1 before the first (then it is read). */
    private long lastReserved = -1;

    private SequencedMongoEventStorageEngine(Builder builder) {
        super(builder);
        this.events = builder.database.getCollection(EVENTS);
        this.snapshots = builder.database.getCollection(SNAPSHOTS);
        this.sequence = builder.database.getCollection(SEQUENCE);
        this.clock = builder.clock;
        this.appendTimeout = builder.appendTimeout;
        this.gapTimeout = builder.gapTimeout;
        this.maxGapOffset = builder.maxGapOffset;
        this.legacyLookBack = builder.legacyLookBack;
        if (gapTimeout.compareTo(appendTimeout.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the gap timeout (" + gapTimeout + ") must be at least twice the "
                    + "append timeout (" + appendTimeout + "), or a slow append could land in a gap already given up");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates the indexes (names as the Mongo extension's, so an existing store keeps its own), gives positions to
     * events stored without one, and moves the counter past the highest position. Safe to run on several instances
     * at once.
     */
    public void prepare() {
        events.createIndex(Indexes.ascending(AGGREGATE, SEQUENCE_NUMBER),
                new IndexOptions().unique(true).name("uniqueAggregateIndex"));
        events.createIndex(Indexes.ascending(TIMESTAMP, SEQUENCE_NUMBER), new IndexOptions().name("orderedEventStreamIndex"));
        snapshots.createIndex(Indexes.ascending(AGGREGATE, SEQUENCE_NUMBER),
                new IndexOptions().unique(true).name("uniqueAggregateIndex"));
        int sequenced = sequenceLegacyEvents();
        if (sequenced > 0) {
            log.info("gave {} events stored without a position their place in the global sequence", sequenced);
        }
        // unique only where present: events of a store being sequenced by another instance have none yet
        events.createIndex(Indexes.ascending(GLOBAL_INDEX), new IndexOptions().unique(true).sparse(true).name(GLOBAL_INDEX));
        Document highest = events.find(Filters.exists(GLOBAL_INDEX)).sort(Sorts.descending(GLOBAL_INDEX))
                .projection(Projections.include(GLOBAL_INDEX)).limit(1).first();
        if (highest != null) {
            sequence.updateOne(Filters.eq("_id", EVENTS), Updates.max("last", highest.getLong(GLOBAL_INDEX)),
                    new com.mongodb.client.model.UpdateOptions().upsert(true));
        }
    }

    private int sequenceLegacyEvents() {
        int done = 0;
        while (true) {
            List<Document> unsequenced = events.find(Filters.exists(GLOBAL_INDEX, false))
                    .sort(Sorts.ascending(TIMESTAMP, AGGREGATE, SEQUENCE_NUMBER))
                    .projection(Projections.include("_id")).limit(1000).into(new ArrayList<>());
            if (unsequenced.isEmpty()) {
                return done;
            }
            long last = reserve(unsequenced.size());
            long position = last - unsequenced.size() + 1;
            String now = clock.instant().toString();
            for (Document doc : unsequenced) {
                // another instance may have sequenced it meanwhile: then this position stays a gap
                events.updateOne(Filters.and(Filters.eq("_id", doc.get("_id")), Filters.exists(GLOBAL_INDEX, false)),
                        Updates.combine(Updates.set(GLOBAL_INDEX, position++), Updates.set(STORED_AT, now)));
                done++;
            }
        }
    }

    /**
     * Reserves {@code count} positions; returns the last of them. A compare-and-set on the counter, starting from the
     * last value this instance saw (one round trip while it is the only writer; a read and a retry when another
     * instance wrote in between). Not {@code findOneAndUpdate} with {@code $inc}: the embedded Mongo-wire server
     * answers concurrent ones with values it has already handed out (measured: 41 duplicates in 3,200 increments from
     * 16 threads), which made two appends share a position, and the second was refused as a conflict. Reservations
     * of one instance take turns, so they do not make each other retry.
     */
    synchronized long reserve(int count) {
        long expected = lastReserved;
        while (true) {
            if (expected < 0) {
                expected = currentLast();
            }
            if (sequence.updateOne(Filters.and(Filters.eq("_id", EVENTS), Filters.eq("last", expected)),
                    Updates.set("last", expected + count)).getModifiedCount() == 1) {
                lastReserved = expected + count;
                return lastReserved;
            }
            expected = -1; // another instance reserved meanwhile
        }
    }

    private long currentLast() {
        Document counter = sequence.find(Filters.eq("_id", EVENTS)).first();
        if (counter != null) {
            return counter.getLong("last");
        }
        try {
            sequence.insertOne(new Document("_id", EVENTS).append("last", 0L));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // another instance created it first
        }
        return sequence.find(Filters.eq("_id", EVENTS)).first().getLong("last");
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> messages, Serializer serializer) {
        if (messages.isEmpty()) {
            return;
        }
        List<Document> docs = new ArrayList<>(messages.size());
        try {
            for (EventMessage<?> message : messages) {
                docs.add(new EventEntry(asDomainEventMessage(message), serializer).asDocument(FIELDS));
            }
            long reservedAt = clock.millis();
            long position = reserve(docs.size()) - docs.size() + 1;
            String storedAt = Instant.ofEpochMilli(reservedAt).toString();
            for (Document doc : docs) {
                doc.append(GLOBAL_INDEX, position++).append(STORED_AT, storedAt);
            }
            long left = appendTimeout.toMillis() - (clock.millis() - reservedAt);
            if (left <= 0) {
                throw new IllegalStateException("reserving a position took longer than the append timeout ("
                        + appendTimeout + "); nothing was stored");
            }
            events.withTimeout(left, TimeUnit.MILLISECONDS).insertMany(docs, new InsertManyOptions().ordered(true));
        } catch (MongoBulkWriteException e) {
            voidRefusedPositions(docs, e, serializer);
            handlePersistenceException(e, messages.get(0));
        } catch (Exception e) {
            handlePersistenceException(e, messages.get(0));
        }
    }

    /**
     * Fills the positions of events the store refused (a stale append to a case: its (case, sequence) is taken) with
     * {@link PositionVoided} markers, so readers pass them instead of keeping them as gaps for the gap timeout.
     * Without this, a client re-filing existing cases at a few hundred a second left thousands of gaps, which every
     * reader's token carries and copies on each event it advances over (with the event store's cache of recent
     * events, that filled incident-service's heap in a benchmark). Only the refused document and those after it are
     * voided: the insert is ordered, so the server did not try the rest. An event that is stored cannot be voided
     * (the position index is unique), so a marker never hides one; if writing the markers fails, the positions stay
     * gaps and are given up after the gap timeout as before.
     */
    private void voidRefusedPositions(List<Document> docs, MongoBulkWriteException refusal, Serializer serializer) {
        if (refusal.getWriteErrors().isEmpty() || docs.isEmpty() || !docs.get(0).containsKey(GLOBAL_INDEX)) {
            return; // not refused by the server (a write-concern error), or refused before positions were reserved
        }
        int firstRefused = refusal.getWriteErrors().stream().mapToInt(BulkWriteError::getIndex).min().getAsInt();
        Document refused = docs.get(firstRefused);
        String reason = "append of " + refused.getString(AGGREGATE) + " at sequence " + refused.get(SEQUENCE_NUMBER)
                + " refused: " + refusal.getWriteErrors().get(0).getCategory();
        List<Document> markers = new ArrayList<>(docs.size() - firstRefused);
        String storedAt = clock.instant().toString();
        for (Document doc : docs.subList(firstRefused, docs.size())) {
            long position = doc.getLong(GLOBAL_INDEX);
            DomainEventMessage<PositionVoided> marker = new GenericDomainEventMessage<>(PositionVoided.AGGREGATE_TYPE,
                    PositionVoided.aggregateIdentifier(position), 0, new PositionVoided(position, reason), MetaData.emptyInstance(),
                    IdentifierFactory.getInstance().generateIdentifier(), clock.instant());
            markers.add(new EventEntry(marker, serializer).asDocument(FIELDS).append(GLOBAL_INDEX, position)
                    .append(STORED_AT, storedAt).append(VOIDED, true));
        }
        try {
            events.insertMany(markers, new InsertManyOptions().ordered(false));
        } catch (RuntimeException e) {
            log.warn("could not void the {} positions of a refused append; they stay gaps until the gap timeout",
                    markers.size(), e);
        }
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        try {
            snapshots.insertOne(new EventEntry(snapshot, serializer).asDocument(FIELDS));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // another instance stored the same snapshot: nothing to add
        }
        snapshots.deleteMany(Filters.and(Filters.eq(AGGREGATE, snapshot.getAggregateIdentifier()),
                Filters.lt(SEQUENCE_NUMBER, snapshot.getSequenceNumber())));
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        Document latest = snapshots.find(Filters.eq(AGGREGATE, aggregateIdentifier))
                .sort(Sorts.descending(SEQUENCE_NUMBER)).limit(1).first();
        return latest == null ? Stream.empty() : Stream.of(new EventEntry(latest, FIELDS));
    }

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier, long firstSequenceNumber,
                                                                   int batchSize) {
        return caseEvents(aggregateIdentifier, firstSequenceNumber, Math.max(batchSize, CASE_BATCH));
    }

    /** Up to {@code limit} of a case's events from a sequence on, in one reply (the driver's first batch is 101). */
    private List<DomainEventData<?>> caseEvents(String aggregateIdentifier, long firstSequenceNumber, int limit) {
        List<DomainEventData<?>> found = new ArrayList<>();
        for (Document doc : events.find(Filters.and(Filters.eq(AGGREGATE, aggregateIdentifier),
                        Filters.gte(SEQUENCE_NUMBER, firstSequenceNumber)))
                .sort(Sorts.ascending(SEQUENCE_NUMBER)).limit(limit).batchSize(limit)) {
            found.add(new EventEntry(doc, FIELDS));
        }
        return found;
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        Document last = events.find(Filters.eq(AGGREGATE, aggregateIdentifier)).sort(Sorts.descending(SEQUENCE_NUMBER))
                .projection(Projections.include(SEQUENCE_NUMBER)).limit(1).first();
        return Optional.ofNullable(last).map(d -> d.getLong(SEQUENCE_NUMBER));
    }

    /**
     * The next events after the reader's position, and any that have since landed in its gaps.
     * <p>
     * A query is not a snapshot (MongoDB yields while it scans), so a query may return event n+1 of a case while
     * missing event n, stored moments earlier at a lower position it had already passed. Delivered like that, n
     * would arrive later, out of the case's order. So what the window query returned is re-checked: every position
     * below its highest that it did not return, and every old gap, is asked for again, until a round finds nothing
     * new. Event n is stored before n+1 reserves its position, so once n+1 has been seen, the next round sees n;
     * a round that finds nothing new proves every event kept has its predecessors in the batch or delivered before.
     * If writers keep filling the range faster than that ({@value #CHECK_ROUNDS} rounds), nothing is delivered this
     * time and the next poll tries again.
     */
    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        GapAwareTrackingToken token = withTimedOutGapsRemoved(asGapAware(lastToken));
        long after = token == null ? LOWEST_POSITION - 1 : token.getIndex();
        long window = (long) batchSize * WINDOW_BATCHES;
        List<Document> found = events.find(Filters.and(Filters.gt(GLOBAL_INDEX, after),
                        Filters.lte(GLOBAL_INDEX, after + window)))
                .sort(Sorts.ascending(GLOBAL_INDEX)).limit(batchSize).into(new ArrayList<>());
        if (found.isEmpty() && System.nanoTime() - beyondWindowLookedAt >= BEYOND_WINDOW_INTERVAL_NANOS) {
            // nothing in the window: either the head, or a run of positions of failed appends longer than it; looked
            // for at most once a second (such a run delays delivery by that at most)
            beyondWindowLookedAt = System.nanoTime();
            events.find(Filters.gt(GLOBAL_INDEX, after + window)).sort(Sorts.ascending(GLOBAL_INDEX))
                    .limit(batchSize).into(found);
        }
        Set<Long> gaps = token == null ? Set.of() : token.getGaps();
        if (found.isEmpty() && gaps.isEmpty()) {
            return List.of();
        }
        long top = found.stream().mapToLong(d -> d.getLong(GLOBAL_INDEX)).max().orElse(after);
        Set<Long> known = new HashSet<>();
        found.forEach(d -> known.add(d.getLong(GLOBAL_INDEX)));
        for (int round = 1; ; round++) {
            Set<Long> present = new HashSet<>();
            Bson onlyPosition = Projections.include(GLOBAL_INDEX);
            if (top - after > 1) {
                events.find(Filters.and(Filters.gt(GLOBAL_INDEX, after), Filters.lt(GLOBAL_INDEX, top)))
                        .projection(onlyPosition).forEach(d -> present.add(d.getLong(GLOBAL_INDEX)));
            }
            if (!gaps.isEmpty()) {
                events.find(Filters.in(GLOBAL_INDEX, gaps)).projection(onlyPosition)
                        .forEach(d -> present.add(d.getLong(GLOBAL_INDEX)));
            }
            present.removeAll(known);
            if (present.isEmpty()) {
                break;
            }
            if (round == CHECK_ROUNDS) {
                return List.of();
            }
            events.find(Filters.in(GLOBAL_INDEX, present)).into(found);
            known.addAll(present);
        }
        found.sort(Comparator.comparingLong(d -> d.getLong(GLOBAL_INDEX)));
        // a prefix of the batch keeps the guarantee: an event's predecessors all have lower positions
        List<TrackedEventData<?>> tracked = new ArrayList<>(Math.min(found.size(), batchSize));
        GapAwareTrackingToken position = token;
        for (Document doc : found.subList(0, Math.min(found.size(), batchSize))) {
            long index = doc.getLong(GLOBAL_INDEX);
            position = position == null
                    ? GapAwareTrackingToken.newInstance(index, LongStream.range(
                            Math.max(LOWEST_POSITION, index - maxGapOffset), index).boxed().toList())
                    : position.advanceTo(index, maxGapOffset);
            tracked.add(new TrackedDomainEventData<>(position, new EventEntry(doc, FIELDS)));
        }
        return tracked;
    }

    /**
     * One read of the tracked stream after {@code token}, deserialised and upcast: the events a single fetch returns
     * (at most the batch size). Axon's stream would fetch again to find its end, a second query per read at the head.
     */
    public List<TrackedEventMessage<?>> readBatch(TrackingToken token) {
        return EventUtils.upcastAndDeserializeTrackedEvents(fetchTrackedEvents(token, batchSize()).stream(),
                getEventSerializer(), upcasterChain).<TrackedEventMessage<?>>map(m -> m).toList();
    }

    /**
     * The case's stored events in order, upcast but not deserialised, each payload and its metadata still in the
     * form the store holds (JSON text) unless an upcaster changed it: for readers that pass the events on as JSON,
     * which would otherwise bind every event to its class only to write it out again.
     * <p>
     * Read as it is consumed, a page at a time (the first page now): a reader that writes each event out as it goes
     * holds one page, whatever the length of the case. Each page is a query from the last sequence read on, so it
     * holds no cursor open between pages; read from the primary (the services' default), that is the stream in order
     * with, at most, events appended meanwhile at its end.
     */
    public Stream<IntermediateEventRepresentation> storedStream(String aggregateIdentifier) {
        return storedStream(aggregateIdentifier, STREAM_PAGE);
    }

    /** {@link #storedStream(String)} read {@code page} events at a time. */
    Stream<IntermediateEventRepresentation> storedStream(String aggregateIdentifier, int page) {
        if (page < 1) {
            throw new IllegalArgumentException("a page holds at least one event, not " + page);
        }
        Iterator<DomainEventData<?>> pages = new Iterator<>() {
            private List<DomainEventData<?>> read = caseEvents(aggregateIdentifier, 0, page);
            private int next;

            @Override
            public boolean hasNext() {
                if (next == read.size() && read.size() >= page) { // a full page: the stream may go on after it
                    read = caseEvents(aggregateIdentifier, read.get(read.size() - 1).getSequenceNumber() + 1, page);
                    next = 0;
                }
                return next < read.size();
            }

            @Override
            public DomainEventData<?> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return read.get(next++);
            }
        };
        Stream<DomainEventData<?>> stored = StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL), false);
        // one stream through the chain, as Axon upcasts a case's stream: an upcaster may look across events
        return upcasterChain.upcast(
                stored.map(data -> (IntermediateEventRepresentation) new InitialEventRepresentation(data, getEventSerializer())));
    }

    /**
     * Gives up the gaps no append can fill any more: a gap is older than the event stored right after it, so once
     * that event was stored longer ago than the gap timeout, the gap's own append has timed out or failed. Runs at
     * most every few hundred milliseconds (tokens are re-checked on every poll; this costs one query per cluster of
     * gaps).
     */
    private GapAwareTrackingToken withTimedOutGapsRemoved(GapAwareTrackingToken token) {
        long now = clock.millis();
        if (token == null || !token.hasGaps() || now < nextGapCleaning) {
            return token;
        }
        nextGapCleaning = now + 500;
        Instant cutoff = Instant.ofEpochMilli(now).minus(gapTimeout);
        GapAwareTrackingToken cleaned = token;
        while (cleaned.hasGaps()) {
            long gap = cleaned.getGaps().first();
            Document next = events.find(Filters.and(Filters.gt(GLOBAL_INDEX, gap), Filters.lte(GLOBAL_INDEX, cleaned.getIndex())))
                    .sort(Sorts.ascending(GLOBAL_INDEX)).projection(Projections.include(GLOBAL_INDEX, STORED_AT))
                    .limit(1).first();
            if (next == null || next.getString(STORED_AT) == null
                    || Instant.parse(next.getString(STORED_AT)).isAfter(cutoff)) {
                break;
            }
            long filledUpTo = next.getLong(GLOBAL_INDEX);
            SortedSet<Long> remaining = cleaned.getGaps().tailSet(filledUpTo);
            cleaned = GapAwareTrackingToken.newInstance(cleaned.getIndex(), remaining);
        }
        return cleaned;
    }

    private GapAwareTrackingToken asGapAware(TrackingToken token) {
        if (token == null || token instanceof GapAwareTrackingToken) {
            return (GapAwareTrackingToken) token;
        }
        if (token instanceof MongoTrackingToken legacy) {
            return fromLegacyToken(legacy);
        }
        throw new IllegalArgumentException("not a position in this store: " + token);
    }

    /**
     * A token of the Mongo extension (a time and the ids seen within its look-back) translated to a position: every
     * event stored before its time minus the look-back was surely handled, so the reader resumes after the last of
     * them. Events after that are delivered again; every handler here is idempotent.
     */
    GapAwareTrackingToken fromLegacyToken(MongoTrackingToken legacy) {
        return (GapAwareTrackingToken) createTokenAt(legacy.getTimestamp().minus(legacyLookBack));
    }

    /**
     * The position before the first: a reader starting there gets every event, and positions still reserved below the
     * first it sees become gaps. (Not null: Axon's event store opens a stream from a null token at the head.)
     */
    @Override
    public TrackingToken createTailToken() {
        return GapAwareTrackingToken.newInstance(LOWEST_POSITION - 1, List.of());
    }

    @Override
    public TrackingToken createHeadToken() {
        Document highest = events.find(Filters.exists(GLOBAL_INDEX)).sort(Sorts.descending(GLOBAL_INDEX))
                .projection(Projections.include(GLOBAL_INDEX)).limit(1).first();
        return highest == null ? createTailToken()
                : GapAwareTrackingToken.newInstance(highest.getLong(GLOBAL_INDEX), List.of());
    }

    /** The highest position stored; -1 for an empty store (what a rebuild drains up to). */
    public long lastPosition() {
        long head = createHeadToken().position().orElse(0);
        return head >= LOWEST_POSITION ? head : -1;
    }

    /** The position just before the first event stamped at or after {@code instant}. */
    @Override
    public TrackingToken createTokenAt(Instant instant) {
        Document first = events.find(Filters.gte(TIMESTAMP, instant.toString())).sort(Sorts.ascending(GLOBAL_INDEX))
                .projection(Projections.include(GLOBAL_INDEX)).limit(1).first();
        if (first == null) {
            return createHeadToken();
        }
        return GapAwareTrackingToken.newInstance(Math.max(LOWEST_POSITION - 1, first.getLong(GLOBAL_INDEX) - 1), List.of());
    }

    /**
     * How many positions a reader at {@code token} has still to read: those after its index up to the highest stored,
     * plus its gaps. Arithmetic on positions, not a count of documents: this answers every status request
     * ({@code GET /admin/projections}, which operators and the benchmark poll during a rebuild), and a count of the
     * events after a token is a scan on the embedded server (in a profile of a benchmark's rebuild, 40 of its 86 request
     * samples were those counts). Positions are dense, so the two agree but for positions of
     * appends still in flight or lost (counted here until the gap timeout) and of refused ones (voided markers).
     */
    public long countAfter(TrackingToken token) {
        long last = lastPosition();
        GapAwareTrackingToken position = asGapAware(token);
        if (position == null) {
            return Math.max(0, last - LOWEST_POSITION + 1);
        }
        return Math.max(0, last - position.getIndex()) + position.getGaps().size();
    }

    /** When the event at the given position was stamped; null before the first. */
    public Instant timestampAt(TrackingToken token) {
        GapAwareTrackingToken position = asGapAware(token);
        Document at = position == null ? null : events.find(Filters.eq(GLOBAL_INDEX, position.getIndex()))
                .projection(Projections.include(TIMESTAMP)).first();
        return at == null ? null : Instant.parse(at.getString(TIMESTAMP));
    }

    public static final class Builder extends BatchingEventStorageEngine.Builder {
        private MongoDatabase database;
        private Clock clock = Clock.systemUTC();
        private Duration appendTimeout = Duration.ofSeconds(15);
        private Duration gapTimeout = Duration.ofSeconds(60);
        private int maxGapOffset = 10_000;
        private Duration legacyLookBack = Duration.ofSeconds(10);

        public Builder database(MongoDatabase database) {
            this.database = database;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Longest time from reserving positions to the insert's acknowledgement; a slower append fails. */
        public Builder appendTimeout(Duration appendTimeout) {
            this.appendTimeout = appendTimeout;
            return this;
        }

        /** How long a reader waits for a gap to be filled (measured from the next stored event); ≥ 2 × append timeout. */
        public Builder gapTimeout(Duration gapTimeout) {
            this.gapTimeout = gapTimeout;
            return this;
        }

        /** Gaps further than this below a reader's position are given up (bounds the token's size). */
        public Builder maxGapOffset(int maxGapOffset) {
            this.maxGapOffset = maxGapOffset;
            return this;
        }

        /** The look-back the Mongo extension's tokens were written with (to translate them). */
        public Builder legacyLookBack(Duration legacyLookBack) {
            this.legacyLookBack = legacyLookBack;
            return this;
        }

        @Override
        public Builder eventSerializer(Serializer eventSerializer) {
            super.eventSerializer(eventSerializer);
            return this;
        }

        @Override
        public Builder snapshotSerializer(Serializer snapshotSerializer) {
            super.snapshotSerializer(snapshotSerializer);
            return this;
        }

        @Override
        public Builder upcasterChain(org.axonframework.serialization.upcasting.event.EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder persistenceExceptionResolver(
                org.axonframework.common.jdbc.PersistenceExceptionResolver persistenceExceptionResolver) {
            super.persistenceExceptionResolver(persistenceExceptionResolver);
            return this;
        }

        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

        @Override
        protected void validate() {
            super.validate();
            if (database == null) {
                throw new org.axonframework.common.AxonConfigurationException("a MongoDatabase is required");
            }
        }

        public SequencedMongoEventStorageEngine build() {
            validate();
            return new SequencedMongoEventStorageEngine(this);
        }
    }
}
