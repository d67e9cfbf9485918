package org.civharm.notification.channels;

import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;

/** A way of telling people or systems about alert transitions. Only configured channels exist as beans. */
public interface AlertChannel {

    /** Its name in delivery ids, e.g. {@code webhook}. */
    String name();

    /** Whether this channel is configured to carry the transition. */
    boolean carries(AlertTransition transition);

    /**
     * Sends one delivery. Returns normally only when the receiver accepted it; any exception is a failed attempt
     * (retried with back-off, then dead-lettered).
     */
    void send(Delivery delivery) throws Exception;
}
