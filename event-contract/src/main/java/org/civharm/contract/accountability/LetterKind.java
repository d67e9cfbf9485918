package org.civharm.contract.accountability;

/** Kind of correspondence. */
public enum LetterKind {
    LETTER, REQUEST_FOR_INFORMATION
}
