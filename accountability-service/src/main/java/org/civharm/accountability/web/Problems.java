package org.civharm.accountability.web;

import java.util.ArrayList;
import java.util.List;

/** Collects field problems found by cross-field checks; {@link #throwIfAny()} refuses the request with all of them. */
final class Problems {

    private final List<InvalidRequestException.FieldProblem> found = new ArrayList<>();

    Problems add(String field, String message) {
        found.add(new InvalidRequestException.FieldProblem(field, message));
        return this;
    }

    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidRequestException(found);
        }
    }
}
