package org.civharm.accountability.web;

/** Nothing is on record for the case asked for (served as 404). */
public class CaseNotFoundException extends RuntimeException {

    public CaseNotFoundException(String message) {
        super(message);
    }

    static CaseNotFoundException record(String caseId) {
        return new CaseNotFoundException("no accountability record of case " + caseId + " is on record");
    }

    static CaseNotFoundException file(String caseId) {
        return new CaseNotFoundException("no event of case " + caseId + " has been received from either service");
    }
}
