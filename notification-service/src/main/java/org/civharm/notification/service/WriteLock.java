package org.civharm.notification.service;

import org.springframework.stereotype.Component;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises this instance's writers of obligations and alerts (the Kafka listener, the scheduler, the API). Each
 * write is also conditional on the version read, which is what keeps several instances correct; the lock only
 * spares one instance from retrying against itself.
 */
@Component
public class WriteLock {

    private final ReentrantLock lock = new ReentrantLock();

    public <T> T call(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }
}
