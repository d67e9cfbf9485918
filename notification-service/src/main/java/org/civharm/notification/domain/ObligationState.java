package org.civharm.notification.domain;

/**
 * State of a stored obligation. {@code PENDING → OVERDUE} happens when the clock passes the due date;
 * {@code PENDING|OVERDUE → MET} when the awaited event arrives; {@code PENDING|OVERDUE → CANCELLED} when the case
 * closes, the obligation becomes moot or its policy is disabled. MET and CANCELLED are final.
 */
public enum ObligationState {
    PENDING, OVERDUE, MET, CANCELLED;

    public boolean isOpen() {
        return this == PENDING || this == OVERDUE;
    }
}
