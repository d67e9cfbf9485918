package org.civharm.notification.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Runs one rebuild at a time (of any projection: a rebuild's last pass holds the write lock every writer of this
 * instance waits on) on a background thread, and keeps its progress for {@code GET /admin/projections}. A failed
 * rebuild drops its collection and leaves the live view as it was.
 */
public abstract class ProjectionRebuild implements RebuildableProjection {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuild.class);
    private static final Object GATE = new Object();
    private static volatile ProjectionRebuild running;

    protected final Clock clock;
    private volatile RebuildProgress progress;
    private volatile String replaced;

    protected ProjectionRebuild(Clock clock) {
        this.clock = clock;
    }

    /** The view's base collection name (rebuilt collections are named after it). */
    protected abstract String baseCollection();

    /**
     * Fills {@code target} and switches the view to it, reporting through {@link #report}.
     *
     * @return the collection it replaced
     */
    protected abstract String rebuildInto(String target) throws Exception;

    protected abstract void drop(String collection);

    @Override
    public RebuildProgress start() {
        synchronized (GATE) {
            ProjectionRebuild other = running;
            if (other != null) {
                throw new IllegalStateException("a rebuild of " + other.name() + " is already running (started "
                        + other.progress.startedAt() + "); projections are rebuilt one at a time");
            }
            String target = baseCollection() + "_" + clock.millis();
            progress = new RebuildProgress(target, clock.instant(), null, "CATCHING_UP", 0, 0, 0, null);
            running = this;
            Thread worker = new Thread(() -> run(target), "rebuild-" + name());
            worker.setDaemon(true);
            worker.start();
            return progress;
        }
    }

    private void run(String target) {
        try {
            String previous = rebuildInto(target);
            replaced = previous;
            progress = progress.finished(clock.instant(), null);
            log.info("rebuilt {} into {} ({} done, {} skipped); replaced {}", name(), target, progress.done(),
                    progress.skipped(), previous);
        } catch (Exception e) {
            log.error("rebuild of {} failed; the live view is unchanged", name(), e);
            progress = progress.finished(clock.instant(), e.toString());
            try {
                drop(target);
            } catch (RuntimeException dropFailed) {
                log.warn("could not drop {}", target, dropFailed);
            }
        } finally {
            synchronized (GATE) {
                running = null;
            }
        }
    }

    protected void report(long done, long total, long skipped, String phase) {
        progress = progress.advanced(done, total, skipped, phase);
    }

    protected RebuildProgress progress() {
        return progress;
    }

    protected String replaced() {
        return replaced;
    }
}
