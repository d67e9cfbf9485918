package org.civharm.notification.service;

import org.civharm.notification.channels.DeliveryWorker;
import org.civharm.notification.domain.Delivery;
import org.civharm.notification.domain.DeliveryState;
import org.civharm.notification.store.DeliveryStore;
import org.civharm.notification.store.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Reading the outbox and retrying dead letters. */
@Service
public class DeliveryService {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

    private final DeliveryStore store;
    private final DeliveryWorker worker;
    private final TimeSource time;

    public DeliveryService(DeliveryStore store, DeliveryWorker worker, TimeSource time) {
        this.store = store;
        this.worker = worker;
        this.time = time;
    }

    public Page<Delivery> search(DeliveryState state, String alertId, int page, int size) {
        return store.search(state, alertId, page, size);
    }

    public Delivery find(String id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("delivery", id));
    }

    /**
     * Queues a dead-lettered delivery again, with a fresh set of attempts, the same id and the same payload.
     *
     * @throws org.civharm.notification.domain.RefusedTransitionException when it is not dead-lettered
     */
    public Delivery retry(String id, String actor) {
        Delivery dead = find(id);
        Delivery again = dead.retry(time.now());
        if (!store.replaceInState(again, DeliveryState.DEAD)) {
            throw new ConcurrentChangeException("delivery " + id + " changed meanwhile; read it again");
        }
        log.info("dead-lettered delivery {} queued again by {}", id, actor);
        worker.wake();
        return again;
    }
}
