package org.civharm.accountability.domain;

/**
 * A command that the accountability record's current state does not allow (served as 409 with this reason).
 * Nothing is stored when it is thrown.
 */
public class RefusedTransitionException extends RuntimeException {

    public RefusedTransitionException(String reason) {
        super(reason);
    }
}
