package org.civharm.notification.channels;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.civharm.notification.config.CivharmMongoProperties;
import org.civharm.notification.config.DeliveryProperties;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;
import org.civharm.notification.domain.DeliveryState;
import org.civharm.notification.store.DeliveryStore;
import org.civharm.notification.store.Page;
import org.civharm.notification.support.TestClock;
import org.civharm.notification.support.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's batches on the calling thread, with the real store (driver against the Mongo-wire server) and a channel
 * that records what it was asked to send: every due delivery sent once, attempts started only in the first quarter of
 * the lease, and whatever a batch did not reach given back, also when the worker stops or its thread is interrupted.
 */
class DeliveryWorkerTest {

    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

    private final TestClock clock = TestClock.stoppedAt(START);
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final AtomicReference<Consumer<Delivery>> onSend = new AtomicReference<>(d -> { });
    private MongoClient client;
    private DeliveryStore store;
    private DeliveryWorker worker;

    @BeforeEach
    void open() {
        client = MongoClients.create(TestInfrastructure.mongoUri());
        store = new DeliveryStore(client, new CivharmMongoProperties("worker-" + UUID.randomUUID()));
        AlertChannel channel = new AlertChannel() {
            @Override
            public String name() {
                return "webhook";
            }

            @Override
            public boolean carries(AlertTransition transition) {
                return true;
            }

            @Override
            public void send(Delivery delivery) {
                onSend.get().accept(delivery);
                sent.add(delivery.id());
            }
        };
        worker = new DeliveryWorker(store, new Channels(List.of(channel)), new DeliveryProperties(5,
                Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), Duration.ofSeconds(1), LEASE, false), clock);
    }

    @AfterEach
    void close() {
        Thread.interrupted();
        client.close();
    }

    private List<String> queue(int count) {
        List<Delivery> queued = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String alertId = String.format("alert-%03d", i);
            queued.add(new Delivery(Delivery.idOf(alertId, AlertTransition.RAISED, "webhook"), alertId, "case-" + i,
                    AlertTransition.RAISED, "webhook", "event-" + i, "{}", DeliveryState.PENDING, 0,
                    START.minusSeconds(60), START.minusSeconds(count - i), null, null, null));
        }
        assertThat(store.insertAllIfAbsent(queued)).isEqualTo(count);
        return queued.stream().map(Delivery::id).toList();
    }

    private Delivery stored(String id) {
        return store.find(id).orElseThrow();
    }

    @Test
    void oneCallSendsEveryDueDeliveryOnceOverSeveralClaims() {
        List<String> ids = queue(60); // more than two claims of 25

        assertThat(worker.sendDue()).isEqualTo(60);

        assertThat(sent).containsExactlyElementsOf(ids); // earliest due first, each once
        Page<Delivery> done = store.search(DeliveryState.SENT, null, 0, 100);
        assertThat(done.total()).isEqualTo(60);
        assertThat(worker.sendDue()).as("nothing left").isZero();
    }

    @Test
    void attemptsStartOnlyInTheFirstQuarterOfTheLeaseAndTheRestIsGivenBack() {
        List<String> ids = queue(3);
        onSend.set(d -> clock.advance(LEASE.dividedBy(4))); // the first send takes a quarter of the lease

        assertThat(worker.sendDue()).isEqualTo(1);

        assertThat(stored(ids.get(0)).state()).isEqualTo(DeliveryState.SENT);
        for (String id : ids.subList(1, 3)) {
            assertThat(stored(id).state()).isEqualTo(DeliveryState.PENDING);
            assertThat(stored(id).nextAttemptAt()).as("given back, due at once").isEqualTo(clock.instant());
            assertThat(stored(id).attempts()).isZero();
        }
        onSend.set(d -> { });
        assertThat(worker.sendDue()).isEqualTo(2);
        assertThat(sent).containsExactlyElementsOf(ids);
    }

    @Test
    void anInterruptedSendIsRecordedAndTheRestGivenBackDespiteTheInterrupt() {
        List<String> ids = queue(3);
        onSend.set(d -> {
            Thread.currentThread().interrupt(); // stop() interrupting a send that hung
            throw new IllegalStateException("interrupted while sending");
        });

        assertThat(worker.sendDue()).isEqualTo(1);

        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        Thread.interrupted();
        Delivery failed = stored(ids.get(0));
        assertThat(failed.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(failed.attempts()).as("the failed attempt was recorded").isEqualTo(1);
        assertThat(stored(ids.get(1)).nextAttemptAt()).as("given back, not left leased")
                .isEqualTo(clock.instant());
        assertThat(stored(ids.get(2)).attempts()).isZero();
    }

    @Test
    void stoppingEndsTheBatchAfterTheCurrentSend() {
        List<String> ids = queue(3);
        onSend.set(d -> worker.stop());

        assertThat(worker.sendDue()).isEqualTo(1);

        assertThat(sent).containsExactly(ids.get(0));
        assertThat(stored(ids.get(0)).state()).isEqualTo(DeliveryState.SENT);
        assertThat(stored(ids.get(2)).nextAttemptAt()).as("given back for the next worker").isEqualTo(clock.instant());
    }
}
