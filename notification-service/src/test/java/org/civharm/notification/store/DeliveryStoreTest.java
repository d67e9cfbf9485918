package org.civharm.notification.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.civharm.notification.config.CivharmMongoProperties;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;
import org.civharm.notification.domain.DeliveryState;
import org.civharm.notification.support.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's batched claims through the real driver against the Mongo-wire server: earliest due first, never one
 * delivery to two workers, outcomes recorded only under a claim that still holds, and unattempted claims given back.
 */
class DeliveryStoreTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(2);

    private MongoClient client;
    private DeliveryStore store;

    @BeforeEach
    void openStore() {
        client = MongoClients.create(TestInfrastructure.mongoUri());
        store = new DeliveryStore(client, new CivharmMongoProperties("deliveries-" + UUID.randomUUID()));
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static Delivery pending(String alertId, Instant due) {
        return new Delivery(Delivery.idOf(alertId, AlertTransition.RAISED, "webhook"), alertId, "case-" + alertId,
                AlertTransition.RAISED, "webhook", "event-" + alertId, "{}", DeliveryState.PENDING, 0,
                due.minusSeconds(60), due, null, null, null);
    }

    private void queue(Delivery delivery) {
        assertThat(store.insertAllIfAbsent(List.of(delivery))).isEqualTo(1);
    }

    /** Two deliveries, due 2 s and 1 s before now, claimed by one worker. */
    private List<DeliveryStore.Claim> queueAndClaim(String first, String second) {
        queue(pending(first, NOW.minusSeconds(2)));
        queue(pending(second, NOW.minusSeconds(1)));
        List<DeliveryStore.Claim> claims = claim(NOW, LEASE, 10);
        assertThat(claims).hasSize(2);
        return claims;
    }

    private List<DeliveryStore.Claim> claim(Instant now, Duration lease, int limit) {
        return store.claimDue(now, lease, limit).claims();
    }

    private static DeliveryStore.Outcome sent(DeliveryStore.Claim claim, Instant at) {
        return new DeliveryStore.Outcome(claim, claim.delivery().sent(at));
    }

    private static List<String> ids(List<DeliveryStore.Claim> claims) {
        return claims.stream().map(c -> c.delivery().id()).toList();
    }

    @Test
    void claimsTheEarliestDueUpToTheLimitAndLeavesTheRest() {
        queue(pending("late", NOW.minusSeconds(1)));
        queue(pending("early", NOW.minusSeconds(30)));
        queue(pending("middle", NOW.minusSeconds(10)));
        queue(pending("future", NOW.plusSeconds(5)));

        DeliveryStore.Claimed full = store.claimDue(NOW, LEASE, 2);
        assertThat(full.more()).as("a full batch: more may be due").isTrue();
        List<DeliveryStore.Claim> first = full.claims();
        assertThat(ids(first)).containsExactly(Delivery.idOf("early", AlertTransition.RAISED, "webhook"),
                Delivery.idOf("middle", AlertTransition.RAISED, "webhook"));
        assertThat(first).extracting(DeliveryStore.Claim::token).containsOnly(first.get(0).token());

        DeliveryStore.Claimed rest = store.claimDue(NOW, LEASE, 10);
        assertThat(rest.more()).as("fewer found than the limit, all of them claimed").isFalse();
        List<DeliveryStore.Claim> second = rest.claims();
        assertThat(ids(second)).as("the claimed ones are leased; the future one is not due")
                .containsExactly(Delivery.idOf("late", AlertTransition.RAISED, "webhook"));
        assertThat(claim(NOW, LEASE, 10)).isEmpty();
        assertThat(claim(NOW.plus(LEASE).plusSeconds(1), LEASE, 10))
                .as("after the lease every unrecorded claim is due again, with the future one").hasSize(4);
    }

    @Test
    void queuingAgainAddsOnlyTheDeliveriesNotQueuedBefore() {
        Delivery first = pending("x", NOW);
        queue(first);
        assertThat(claim(NOW, LEASE, 1)).hasSize(1); // claimed: its next attempt moved by the lease

        assertThat(store.insertAllIfAbsent(List.of(first, pending("y", NOW), pending("z", NOW)))).isEqualTo(2);
        assertThat(store.insertAllIfAbsent(List.of(pending("y", NOW), pending("z", NOW)))).isZero();
        assertThat(store.count()).isEqualTo(3);
        assertThat(store.find(first.id())).get().as("the one queued before is left as it was")
                .satisfies(d -> assertThat(d.nextAttemptAt()).isEqualTo(NOW.plus(LEASE)));
    }

    @Test
    void concurrentWorkersNeverClaimTheSameDelivery() throws Exception {
        int total = 300;
        for (int i = 0; i < total; i++) {
            queue(pending("a" + i, NOW.minusMillis(i)));
        }
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> claimed = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Callable<List<String>> worker = () -> {
                    List<String> mine = new ArrayList<>();
                    DeliveryStore.Claimed c;
                    do {
                        c = store.claimDue(NOW, LEASE, 7);
                        mine.addAll(ids(c.claims()));
                    } while (!c.claims().isEmpty() || c.more()); // more: another worker took these candidates
                    return mine;
                };
                claimed.add(workers.submit(worker));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : claimed) {
                all.addAll(f.get());
            }
            Set<String> distinct = new HashSet<>(all);
            assertThat(all).as("no delivery claimed twice").hasSameSizeAs(distinct);
            assertThat(distinct).as("every due delivery claimed").hasSize(total);
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void anOutcomeIsRecordedOnlyWhileItsClaimHolds() {
        List<DeliveryStore.Claim> slow = queueAndClaim("kept", "lost");

        // the slow worker's lease passes; another worker takes whatever is due then: both, and records "kept" first
        Instant later = NOW.plus(LEASE).plusSeconds(1);
        List<DeliveryStore.Claim> other = claim(later, LEASE, 10);
        assertThat(other).hasSize(2);
        DeliveryStore.Claim keptByOther = other.get(0);
        assertThat(store.recordAll(List.of(sent(keptByOther, later)))).isZero();

        List<DeliveryStore.Outcome> late = slow.stream().map(c -> sent(c, later)).toList();
        assertThat(store.recordAll(late)).as("both of the slow worker's claims were lost").isEqualTo(2);

        assertThat(store.find(keptByOther.delivery().id())).get()
                .satisfies(d -> assertThat(d.state()).isEqualTo(DeliveryState.SENT));
        assertThat(store.find(other.get(1).delivery().id())).get().as("still held by the other worker")
                .satisfies(d -> assertThat(d.state()).isEqualTo(DeliveryState.PENDING));
        assertThat(store.recordAll(List.of(sent(other.get(1), later)))).isZero();
        assertThat(store.countByState(DeliveryState.SENT)).isEqualTo(2);
    }

    @Test
    void aReleasedClaimIsDueAgainAtOnceAndARecordedOneIsNotReleased() {
        List<DeliveryStore.Claim> claims = queueAndClaim("sent", "unattempted");
        DeliveryStore.Claim sent = claims.get(0);
        assertThat(store.recordAll(List.of(sent(sent, NOW)))).isZero();

        store.release(claims, NOW.plusSeconds(1));

        assertThat(ids(claim(NOW.plusSeconds(1), LEASE, 10))).as("only the unattempted one, due again")
                .containsExactly(Delivery.idOf("unattempted", AlertTransition.RAISED, "webhook"));
        assertThat(store.find(sent.delivery().id())).get()
                .satisfies(d -> assertThat(d.state()).isEqualTo(DeliveryState.SENT));
    }
}
