package org.civharm.notification.service;

import java.util.Map;

/**
 * How far the live listener has read the consumed topics.
 *
 * @param position     committed offset per topic partition (or an {@code error})
 * @param sourceEvents records in the topics
 * @param lag          records not handled yet; -1 when Kafka cannot be asked
 */
public record SourcePosition(Map<String, Object> position, long sourceEvents, long lag) {

    /** Where the live listener stands; implemented by the Kafka adapter. */
    public interface Source {
        SourcePosition read();
    }
}
