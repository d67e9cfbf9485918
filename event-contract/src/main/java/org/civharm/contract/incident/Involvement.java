package org.civharm.contract.incident;

/** Whether a belligerent's involvement is known or only suspected. */
public enum Involvement {
    SUSPECTED, KNOWN
}
