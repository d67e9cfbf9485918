package org.civharm.accountability.eventstore;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Axon's embedded event store, except that every tracking processor's stream reads the storage engine itself, woken
 * at once by this instance's commits and at least every poll interval for other instances'.
 * <p>
 * Why not Axon's shared cache of recent events: its producer reads the store only while some stream is "tailing"
 * the cache, and a stream joins the cache only where the cache holds its exact token. After a burst that a processor
 * could not follow within the cache (500 events), the processor read privately, the producer stopped reading (nobody
 * tailed), so the cache never again held the processor's position and it stayed on its private stream, which only
 * looks again when Axon's one-second wait for events runs out: in a benchmark run every event then reached Kafka
 * 0-1 s after it was stored (median 499 ms at 10 commands/s, against 11 ms before the burst). See Axon issue #1037.
 * Processors at the same position share a read (the last one is kept for the next stream that asks from there); one
 * that is elsewhere reads for itself. No cache of recent events and their tokens is kept (each token holds the
 * reader's gaps).
 */
public class DirectReadEventStore extends EmbeddedEventStore {

    private final long pollNanos;
    private final Lock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    /** Commits made through this instance; a stream reads again when it changes. */
    private volatile long commits;
    private final Set<DirectStream> open = ConcurrentHashMap.newKeySet();
    /**
     * The last non-empty read, for another stream at the same position: processors that keep up ask for the same
     * events after each commit, and one query serves them all (as Axon's cache did). Reused only by a stream whose
     * last seen commit it covers, so a stream never gets a read older than a commit it was woken for.
     */
    private final AtomicReference<SharedRead> lastRead = new AtomicReference<>();

    private record SharedRead(TrackingToken after, long commits, List<TrackedEventMessage<?>> events) {
    }

    private final SequencedMongoEventStorageEngine engine;

    /** {@code builder}: everything but the storage engine, which is {@code engine}. */
    public DirectReadEventStore(EmbeddedEventStore.Builder builder, SequencedMongoEventStorageEngine engine,
                                Duration pollInterval) {
        super(builder.storageEngine(engine));
        this.engine = engine;
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive: " + pollInterval);
        }
        this.pollNanos = pollInterval.toNanos();
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        DirectStream stream = new DirectStream(trackingToken);
        open.add(stream);
        return stream;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        lock.lock();
        try {
            commits++;
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void shutDown() {
        open.forEach(DirectStream::close);
        super.shutDown();
    }

    /** Streams open now (for tests). */
    int openStreams() {
        return open.size();
    }

    /** One processor's stream: the events of one read, read again when a commit, the poll interval or a full read says so. */
    private final class DirectStream implements TrackingEventStream {
        private final Deque<TrackedEventMessage<?>> buffer = new ArrayDeque<>();
        private TrackingToken lastToken;
        /** The last read filled its batch, so more may be stored already: read again without waiting. */
        private boolean moreStored = true;
        private long commitsAtLastRead = -1;
        private long nextPoll = System.nanoTime();
        private volatile boolean closed;

        private DirectStream(TrackingToken from) {
            this.lastToken = from;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            long seen = commits;
            if (buffer.isEmpty() && !closed && readDue(seen)) {
                read(seen);
            }
            return Optional.ofNullable(buffer.peekFirst());
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (buffer.isEmpty()) {
                if (closed) {
                    return false;
                }
                long seen = commits;
                if (readDue(seen)) {
                    read(seen);
                    continue;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    return false;
                }
                awaitCommitAfter(seen, Math.min(deadline, nextPoll) - now);
            }
            return true;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (!hasNextAvailable(1, TimeUnit.SECONDS)) {
                if (closed) {
                    throw new IllegalStateException("the stream is closed");
                }
            }
            return buffer.pollFirst();
        }

        @Override
        public void close() {
            closed = true;
            open.remove(this);
            lock.lock();
            try {
                committed.signalAll(); // a reader waiting in hasNextAvailable returns now
            } finally {
                lock.unlock();
            }
        }

        private boolean readDue(long commitsNow) {
            return moreStored || commitsNow != commitsAtLastRead || System.nanoTime() - nextPoll >= 0;
        }

        private void read(long commitsNow) {
            commitsAtLastRead = commitsNow;
            nextPoll = System.nanoTime() + pollNanos;
            SharedRead shared = lastRead.get();
            List<TrackedEventMessage<?>> read;
            if (shared != null && shared.commits() >= commitsNow && Objects.equals(shared.after(), lastToken)) {
                read = shared.events();
            } else {
                read = engine.readBatch(lastToken);
                if (!read.isEmpty()) {
                    lastRead.set(new SharedRead(lastToken, commitsNow, read));
                }
            }
            buffer.addAll(read);
            if (!read.isEmpty()) {
                lastToken = read.get(read.size() - 1).trackingToken();
            }
            moreStored = read.size() >= engine.batchSize();
        }

        private void awaitCommitAfter(long seen, long nanos) throws InterruptedException {
            if (nanos <= 0) {
                return;
            }
            lock.lock();
            try {
                long left = nanos;
                while (commits == seen && left > 0 && !closed) {
                    left = committed.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
