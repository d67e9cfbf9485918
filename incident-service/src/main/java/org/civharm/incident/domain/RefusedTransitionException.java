package org.civharm.incident.domain;

/**
 * A command that the case's current state does not allow. Carries the reason a caseworker needs to read
 * (served as 409). Nothing is stored when it is thrown.
 */
public class RefusedTransitionException extends RuntimeException {

    public RefusedTransitionException(String reason) {
        super(reason);
    }
}
