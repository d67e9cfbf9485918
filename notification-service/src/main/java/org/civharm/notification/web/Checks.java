package org.civharm.notification.web;

import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Checks of values taken from headers, paths and query parameters before they reach the store. */
final class Checks {

    /** Case ids as the other services accept them. */
    static final String CASE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{2,63}";
    /** Alert, obligation and delivery ids: case id, policy, event id and more, joined by ':'. */
    static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{2,300}";

    private Checks() {
    }

    /** Who acts: the authenticated subject of the request's token — never anything from the request body. */
    static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String name = authentication == null ? null : authentication.getName();
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InsufficientAuthenticationException("the token names no usable subject");
        }
        return name;
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
