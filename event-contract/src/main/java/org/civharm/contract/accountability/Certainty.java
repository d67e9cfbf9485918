package org.civharm.contract.accountability;

/** Whether an attribution is known or suspected. */
public enum Certainty {
    KNOWN, SUSPECTED
}
