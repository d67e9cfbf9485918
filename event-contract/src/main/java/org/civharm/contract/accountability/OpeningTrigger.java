package org.civharm.contract.accountability;

/** Why an accountability record was opened. */
public enum OpeningTrigger {
    /** Automatically, when incident-service published an acknowledgement (credible assessment). */
    ACKNOWLEDGEMENT,
    /** By hand, for a dismissed case whose dismissal is contested. */
    CONTESTED_DISMISSAL
}
