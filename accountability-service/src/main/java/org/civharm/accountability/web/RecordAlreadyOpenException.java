package org.civharm.accountability.web;

/** The case already has an accountability record (served as 409 naming caseId). */
public class RecordAlreadyOpenException extends RuntimeException {

    public RecordAlreadyOpenException(String caseId) {
        super("case " + caseId + " already has an accountability record");
    }
}
