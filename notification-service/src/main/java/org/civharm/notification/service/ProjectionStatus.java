package org.civharm.notification.service;

import java.util.Map;

/**
 * What {@code GET /admin/projections} shows for a projection.
 *
 * @param source             what it is folded from
 * @param collection         the live collection readers use
 * @param position           how far the live projection has read its source (the listener group's committed offset
 *                           per topic partition; both views are written by the same listener step)
 * @param sourceEvents       records in the source topics
 * @param lag                records the live listener has not handled yet (-1 when Kafka cannot be asked)
 * @param rebuild            the running or last rebuild (null if none since start-up)
 * @param replacedCollection the collection the last rebuild replaced (kept for comparison until the next one)
 */
public record ProjectionStatus(String name, String source, String collection, Map<String, Object> position,
                               long sourceEvents, long lag, RebuildProgress rebuild, String replacedCollection) {
}
