package org.civharm.notification.web;

import java.util.ArrayList;
import java.util.List;

/** Collects field problems; {@link #throwIfAny()} refuses the request with all of them. */
final class Problems {

    private final List<InvalidRequestException.FieldProblem> found = new ArrayList<>();

    Problems add(String field, String message) {
        found.add(new InvalidRequestException.FieldProblem(field, message));
        return this;
    }

    void page(int page, int size) {
        if (page < 0 || page > 100_000) {
            add("page", "must be between 0 and 100000");
        }
        if (size < 1 || size > 200) {
            add("size", "must be between 1 and 200");
        }
    }

    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidRequestException(found);
        }
    }
}
