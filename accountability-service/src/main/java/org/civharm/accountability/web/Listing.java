package org.civharm.accountability.web;

import java.time.LocalDate;

/** Checks shared by the list endpoints. */
final class Listing {

    static final int MAX_TEXT = 200;
    static final int MAX_PAGE = 100_000;
    static final int MAX_SIZE = 200;

    private Listing() {
    }

    static void checkText(Problems problems, String name, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            problems.add(name, "must be at most " + MAX_TEXT + " characters");
        }
    }

    static void checkPage(Problems problems, int page, int size) {
        if (page < 0 || page > MAX_PAGE) {
            problems.add("page", "must be between 0 and " + MAX_PAGE);
        }
        if (size < 1 || size > MAX_SIZE) {
            problems.add("size", "must be between 1 and " + MAX_SIZE);
        }
    }

    static void checkRange(Problems problems, LocalDate from, LocalDate to) {
        if (from != null && to != null && to.isBefore(from)) {
            problems.add("to", "must not be before from");
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
