package org.civharm.notification.service;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.time.Instant;

/**
 * A rebuild's progress.
 *
 * @param collection the collection being filled
 * @param phase      CATCHING_UP (reading the source while the live view keeps being fed), DRAINING (waiting for, then
 *                   holding, the write lock this instance's writers take; the last changes are folded and the view
 *                   switched), DONE or FAILED
 * @param done       source items folded so far (records for a Kafka-fed view, cases for obligations)
 * @param total      source items to fold (grows when some arrive during the rebuild)
 * @param skipped    source records not applied: unreadable, or parked, held or discarded as dead letters
 */
public record RebuildProgress(String collection, Instant startedAt, Instant finishedAt, String phase, long done,
                              long total, long skipped, String error) {

    /** Items per second so far. */
    @JsonProperty("rate")
    public double rate() {
        Instant end = finishedAt != null ? finishedAt : Instant.now();
        double seconds = Math.max(0.001, Duration.between(startedAt, end).toMillis() / 1000.0);
        return done / seconds;
    }

    /** Estimated seconds left; 0 when finished, null before the first item is folded. */
    @JsonProperty("etaSeconds")
    public Double etaSeconds() {
        if (finishedAt != null) {
            return 0.0;
        }
        return done == 0 ? null : Math.max(0, total - done) / rate();
    }

    /** Share done, 0 to 1. */
    @JsonProperty("fraction")
    public double fraction() {
        return total == 0 ? (finishedAt != null ? 1.0 : 0.0) : Math.min(1.0, (double) done / total);
    }

    public RebuildProgress advanced(long done, long total, long skipped, String phase) {
        return new RebuildProgress(collection, startedAt, null, phase, done, Math.max(done, total), skipped, null);
    }

    public RebuildProgress finished(Instant at, String error) {
        return new RebuildProgress(collection, startedAt, at, error == null ? "DONE" : "FAILED", done,
                Math.max(done, total), skipped, error);
    }
}
