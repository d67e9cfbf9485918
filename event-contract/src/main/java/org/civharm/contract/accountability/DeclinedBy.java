package org.civharm.contract.accountability;

/** Which side ended an amends offer without payment. */
public enum DeclinedBy {
    /** The family declined the offer. */
    RECIPIENT,
    /** The offering state refused or withdrew it. */
    PROVIDER
}
