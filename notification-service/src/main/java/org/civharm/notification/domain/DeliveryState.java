package org.civharm.notification.domain;

/** PENDING (waiting for its next attempt) → SENT, or → DEAD after the last attempt failed; DEAD → PENDING on a retry. */
public enum DeliveryState {
    PENDING, SENT, DEAD
}
