package org.civharm.contract.incident;

/** Age group of a victim, as the casualty splits count them. */
public enum AgeGroup {
    CHILD, ADULT, UNKNOWN
}
