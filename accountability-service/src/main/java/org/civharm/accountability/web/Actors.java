package org.civharm.accountability.web;

/**
 * Who records a step. Until authentication lands (issue 6) the caller names itself in the {@code X-Actor} header;
 * it is never taken from the request body.
 */
final class Actors {

    private Actors() {
    }

    static String check(String actor) {
        if (actor == null || actor.isBlank() || actor.length() > 100 || !actor.matches("[\\p{L}\\p{N} ._@'-]+")) {
            throw InvalidRequestException.of(CaseController.ACTOR_HEADER,
                    "must name who records this step: 1-100 letters, digits, spaces or . _ @ ' -");
        }
        return actor.strip();
    }
}
