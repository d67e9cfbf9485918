package org.civharm.notification.service;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Case work of different cases overlaps; the same case's and exclusive work wait. */
class WriteLockTest {

    private final WriteLock lock = new WriteLock();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** Starts case work on another thread that holds the lock until {@code release}. */
    private CountDownLatch holdCase(String caseId, CountDownLatch release) {
        CountDownLatch holding = new CountDownLatch(1);
        threads.submit(() -> lock.runForCase(caseId, () -> {
            holding.countDown();
            await(release);
        }));
        await(holding);
        return holding;
    }

    @Test
    void anotherCaseRunsWhileOneCaseIsBusyButTheSameCaseWaits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        holdCase("case-a", release);

        assertThat(threads.submit(() -> lock.forCase("case-b", () -> "b")).get(5, TimeUnit.SECONDS)).isEqualTo("b");

        Future<String> sameCase = threads.submit(() -> lock.forCase("case-a", () -> "a"));
        assertThatThrownBy(() -> sameCase.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        release.countDown();
        assertThat(sameCase.get(5, TimeUnit.SECONDS)).isEqualTo("a");
        threads.shutdownNow();
    }

    @Test
    void exclusiveWorkWaitsForCaseWorkAndHoldsNewCaseWorkBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        holdCase("case-a", release);
        Future<String> exclusive = threads.submit(() -> lock.call(() -> "switched"));
        assertThatThrownBy(() -> exclusive.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

        CountDownLatch exclusiveHolding = new CountDownLatch(1);
        CountDownLatch exclusiveRelease = new CountDownLatch(1);
        release.countDown();
        assertThat(exclusive.get(5, TimeUnit.SECONDS)).isEqualTo("switched");

        threads.submit(() -> lock.run(() -> {
            exclusiveHolding.countDown();
            await(exclusiveRelease);
        }));
        await(exclusiveHolding);
        Future<String> caseWork = threads.submit(() -> lock.forCase("case-b", () -> "b"));
        assertThatThrownBy(() -> caseWork.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        exclusiveRelease.countDown();
        assertThat(caseWork.get(5, TimeUnit.SECONDS)).isEqualTo("b");
        threads.shutdownNow();
    }

    @Test
    void exclusiveWorkMayDoCaseWorkButCaseWorkMayNotAskForExclusiveWork() {
        assertThat(lock.call(() -> lock.forCase("case-a", () -> lock.forCase("case-b", () -> "nested"))))
                .isEqualTo("nested");
        assertThat(lock.forCase("case-a", () -> lock.forCase("case-a", () -> "again"))).isEqualTo("again");
        assertThatThrownBy(() -> lock.runForCase("case-a", () -> lock.run(() -> { })))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wait for itself");
        assertThat(lock.forCase(null, () -> "no case: exclusive")).isEqualTo("no case: exclusive");
        threads.shutdownNow();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not reached");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
