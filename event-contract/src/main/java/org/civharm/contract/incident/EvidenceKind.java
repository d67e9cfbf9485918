package org.civharm.contract.incident;

/** Where an evidence item lives. */
public enum EvidenceKind {
    /** A public or archived URL. */
    URL,
    /** A file uploaded to the evidence store, referenced by its storage key. */
    FILE
}
