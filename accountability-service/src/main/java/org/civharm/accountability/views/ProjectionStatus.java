package org.civharm.accountability.views;

import java.util.Map;

/**
 * What {@code GET /admin/projections} shows for a projection.
 *
 * @param source             the log it is folded from
 * @param collection         the live collection readers use
 * @param position           how far the live projection has read its source (event-store timestamp, or the
 *                           committed offset per topic partition)
 * @param sourceEvents       events in the source
 * @param lag                source events the live projection has not applied yet
 * @param rebuild            the running or last rebuild (null if none since start-up)
 * @param replacedCollection the collection the last rebuild replaced (kept for comparison until the next one)
 */
public record ProjectionStatus(String name, String source, String collection, Map<String, Object> position,
                               long sourceEvents, long lag, RebuildProgress rebuild, String replacedCollection) {
}
