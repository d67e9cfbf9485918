package org.civharm.notification.domain;

/**
 * What a policy's number means, and its name in configuration and in {@code GET/PUT /policies}.
 */
public enum PolicyUnit {
    /** Days after the starting event's {@code occurredAt}. */
    DAYS("days", 1, 3650),
    /** Calendar months (UTC) after the month of the starting event: the monthly reporting cycles. */
    MONTHLY_CYCLES("monthlyCycles", 1, 120),
    /**
     * Days after a letter was sent, used only when the letter names no response due date (14 is a common NGO
     * right-of-reply window).
     */
    DAYS_WHEN_NO_DUE_DATE("daysWhenNoDueDate", 1, 3650);

    private final String field;
    private final int min;
    private final int max;

    PolicyUnit(String field, int min, int max) {
        this.field = field;
        this.min = min;
        this.max = max;
    }

    public String field() {
        return field;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }
}
