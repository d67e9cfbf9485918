package org.civharm.notification.domain;

/** A requested change that the current state refuses (served as 409 with the reason). */
public class RefusedTransitionException extends RuntimeException {

    public RefusedTransitionException(String message) {
        super(message);
    }
}
