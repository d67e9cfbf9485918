package org.civharm.accountability.api;

/**
 * How far an accountability record has come, derived from the record (never set by hand). The first rule that
 * applies wins:
 * <ol>
 *   <li>{@link #CLOSED}: the record is closed;</li>
 *   <li>{@link #AMENDS_PAID}: at least one amends offer was paid (or delivered, for amends in kind);</li>
 *   <li>{@link #AMENDS_OFFERED}: amends were offered and none was paid (still pending, or declined);</li>
 *   <li>{@link #INVESTIGATING}: an investigation is open;</li>
 *   <li>{@link #CONCLUDED}: at least one investigation was concluded and none is open;</li>
 *   <li>{@link #AWAITING_INVESTIGATION}: no investigation was ever opened.</li>
 * </ol>
 */
public enum Stage {
    AWAITING_INVESTIGATION, INVESTIGATING, CONCLUDED, AMENDS_OFFERED, AMENDS_PAID, CLOSED;

    /**
     * @param closed                 the record is closed
     * @param amendsPaid             at least one amends offer was paid
     * @param amendsOffered          at least one amends offer was made
     * @param investigationOpen      an investigation is open
     * @param investigationConcluded at least one investigation was concluded
     */
    public static Stage of(boolean closed, boolean amendsPaid, boolean amendsOffered, boolean investigationOpen,
                           boolean investigationConcluded) {
        if (closed) {
            return CLOSED;
        }
        if (amendsPaid) {
            return AMENDS_PAID;
        }
        if (amendsOffered) {
            return AMENDS_OFFERED;
        }
        if (investigationOpen) {
            return INVESTIGATING;
        }
        if (investigationConcluded) {
            return CONCLUDED;
        }
        return AWAITING_INVESTIGATION;
    }
}
