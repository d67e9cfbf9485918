package org.civharm.accountability.web;

/** Checks case ids taken from paths before they reach the store. */
final class CaseIds {

    private CaseIds() {
    }

    static String check(String caseId) {
        if (caseId == null || !caseId.matches(Requests.CASE_ID_PATTERN)) {
            throw InvalidRequestException.of("caseId", "must be 3-64 letters, digits, '.', '_' or '-'");
        }
        return caseId;
    }
}
