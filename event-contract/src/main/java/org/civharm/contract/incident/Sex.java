package org.civharm.contract.incident;

/** Sex of a victim as reported. */
public enum Sex {
    FEMALE, MALE, UNKNOWN
}
