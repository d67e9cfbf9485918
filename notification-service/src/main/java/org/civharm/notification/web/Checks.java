package org.civharm.notification.web;

/** Checks of values taken from headers, paths and query parameters before they reach the store. */
final class Checks {

    static final String ACTOR_HEADER = "X-Actor";
    /** Case ids as the other services accept them. */
    static final String CASE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{2,63}";
    /** Alert, obligation and delivery ids: case id, policy, event id and more, joined by ':'. */
    static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{2,300}";

    private Checks() {
    }

    /**
     * Who acts. Until authentication lands the caller names itself in the {@code X-Actor} header; it is never taken
     * from the request body.
     */
    static String actor(String actor) {
        if (actor == null || actor.isBlank() || actor.length() > 100 || !actor.matches("[\\p{L}\\p{N} ._@'-]+")) {
            throw InvalidRequestException.of(ACTOR_HEADER,
                    "must name who acts: 1-100 letters, digits, spaces or . _ @ ' -");
        }
        return actor.strip();
    }

    static String id(String field, String id) {
        if (id == null || !id.matches(ID_PATTERN)) {
            throw InvalidRequestException.of(field, "must be 3-301 letters, digits, '.', '_', ':' or '-'");
        }
        return id;
    }

    static String caseId(String caseId, Problems problems) {
        if (caseId == null || caseId.isBlank()) {
            return null;
        }
        if (!caseId.matches(CASE_ID_PATTERN)) {
            problems.add("case", "must be a case id: 3-64 letters, digits, '.', '_' or '-'");
            return null;
        }
        return caseId;
    }
}
