package org.civharm.contract.incident;

/** How precisely the incident date is known. */
public enum DatePrecision {
    DAY, RANGE, MONTH, YEAR
}
