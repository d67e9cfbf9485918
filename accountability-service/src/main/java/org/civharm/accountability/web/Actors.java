package org.civharm.accountability.web;

import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who records a step: the authenticated subject of the request's token — never anything from the request body. */
final class Actors {

    private Actors() {
    }

    static String current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String name = authentication == null ? null : authentication.getName();
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InsufficientAuthenticationException("the token names no usable subject");
        }
        return name;
    }
}
