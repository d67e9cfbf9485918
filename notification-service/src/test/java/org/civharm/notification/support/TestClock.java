package org.civharm.notification.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests can move forward: a base clock plus an offset. {@link #INSTANCE} is the system clock's: time keeps
 * flowing (so delivery back-offs elapse by themselves), and {@link #advance} jumps ahead by days to make obligations
 * due; one per test JVM, shared by every context (a restarted context sees the same time). {@link #stoppedAt} stands
 * still until advanced, for tests that compare instants exactly. It only ever moves forward.
 */
public final class TestClock extends Clock {

    public static final TestClock INSTANCE = new TestClock(Clock.systemUTC());

    private final Clock base;
    private final AtomicLong offsetMillis = new AtomicLong();

    private TestClock(Clock base) {
        this.base = base;
    }

    /** A clock at {@code start} that moves only when advanced. */
    public static TestClock stoppedAt(Instant start) {
        return new TestClock(Clock.fixed(start, ZoneOffset.UTC));
    }

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the test clock only moves forward");
        }
        offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return base.instant().plusMillis(offsetMillis.get());
    }
}
