package org.civharm.contract.accountability;

/** Whether a communication was public or private to the family. */
public enum Visibility {
    PUBLIC, PRIVATE
}
