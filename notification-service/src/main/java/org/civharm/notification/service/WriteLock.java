package org.civharm.notification.service;

import org.springframework.stereotype.Component;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Orders this instance's writers of obligations and alerts (the Kafka listeners, the scheduler, the API, dead-letter
 * retries, rebuilds). Each write is also conditional on the version read, which is what keeps several instances
 * correct; the lock spares one instance from retrying against itself, and gives a rebuild's last pass and a
 * dead-letter retry a moment in which no record is half-handled.
 * <ul>
 *   <li>{@link #forCase}: one case's work. Work on the same case is serialised; work on different cases runs side by
 *       side (the listener threads of different partitions). It was one lock for everything, which made the three
 *       listener threads handle records one at a time, each waiting on its MongoDB round trips.</li>
 *   <li>{@link #call}/{@link #run}: exclusive, waits for all case work in flight and holds new work back (a
 *       rebuild's switch, a policy change re-deriving every case, the scheduler's policy refresh).</li>
 * </ul>
 * Exclusive work may do case work inside it. Case work must not ask for exclusive work (that would wait for itself):
 * it is refused with an {@link IllegalStateException}. Case work nested in case work of another case does not take
 * the other case's stripe (taking two stripes in two orders could deadlock); the conditional writes keep it correct.
 */
@Component
public class WriteLock {

    /** Stripes for case work: enough that three to a few dozen threads rarely share one by chance. */
    private static final int STRIPES = 64;

    private final ReentrantReadWriteLock exclusive = new ReentrantReadWriteLock();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    /** The stripe the current thread's case work holds, or null outside case work. */
    private final ThreadLocal<ReentrantLock> heldStripe = new ThreadLocal<>();

    public WriteLock() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Exclusive work: no case work runs meanwhile on this instance. */
    public <T> T call(Supplier<T> work) {
        if (exclusive.getReadHoldCount() > 0 && !exclusive.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("exclusive work asked for inside case work would wait for itself");
        }
        exclusive.writeLock().lock();
        try {
            return work.get();
        } finally {
            exclusive.writeLock().unlock();
        }
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** One case's work: serialised with other work on that case and with exclusive work; a null case is exclusive. */
    public <T> T forCase(String caseId, Supplier<T> work) {
        if (caseId == null) {
            return call(work);
        }
        ReentrantLock stripe = stripes[Math.floorMod(caseId.hashCode(), STRIPES)];
        ReentrantLock outer = heldStripe.get();
        boolean take = outer == null || outer == stripe;
        exclusive.readLock().lock();
        try {
            if (!take) {
                return work.get();
            }
            stripe.lock();
            heldStripe.set(stripe);
            try {
                return work.get();
            } finally {
                stripe.unlock();
                heldStripe.set(outer);
            }
        } finally {
            exclusive.readLock().unlock();
        }
    }

    public void runForCase(String caseId, Runnable work) {
        forCase(caseId, () -> {
            work.run();
            return null;
        });
    }
}
