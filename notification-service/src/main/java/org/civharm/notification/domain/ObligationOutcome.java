package org.civharm.notification.domain;

/** What a case's facts say of an obligation, before time is taken into account (see {@link ObligationState}). */
public enum ObligationOutcome {
    /** Still awaited. */
    OPEN,
    /** The awaited event arrived. */
    MET,
    /** No longer applies: the case closed or the obligation became moot. */
    CANCELLED
}
