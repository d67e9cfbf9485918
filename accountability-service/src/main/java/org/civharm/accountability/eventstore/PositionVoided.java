package org.civharm.accountability.eventstore;

/**
 * Stored at a global position whose append the store refused, so readers pass the position instead of waiting for
 * it as a gap. Not an event of any case: it has an aggregate of its own (an identifier no case can have) and no
 * handler takes it; tracking processors advance over it, rebuilds that read the store directly skip it.
 *
 * @param position the position it fills
 * @param reason   which append was refused, and why
 */
public record PositionVoided(long position, String reason) {

    public static final String AGGREGATE_TYPE = "VoidedPosition";

    /** A colon is not allowed in case ids, so this never names a case. */
    static String aggregateIdentifier(long position) {
        return "voided:" + position;
    }
}
