package org.civharm.incident.web;

/** No case with that id is on record (served as 404, or 409 when a referenced case is missing). */
public class CaseNotFoundException extends RuntimeException {

    private final String field;

    public CaseNotFoundException(String caseId) {
        this(caseId, null);
    }

    public CaseNotFoundException(String caseId, String field) {
        super("no case " + caseId + " is on record");
        this.field = field;
    }

    /** The request field that referenced the missing case, or null when the case is the resource itself. */
    public String field() {
        return field;
    }
}
