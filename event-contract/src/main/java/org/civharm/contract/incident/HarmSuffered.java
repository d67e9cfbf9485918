package org.civharm.contract.incident;

/** What happened to a named victim. */
public enum HarmSuffered {
    KILLED, INJURED
}
