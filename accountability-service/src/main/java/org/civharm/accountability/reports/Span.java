package org.civharm.accountability.reports;

import org.civharm.contract.incident.HarmCount;
import org.civharm.contract.incident.Range;

/** A count known as a range (min–max), summed range by range. */
public record Span(long min, long max) {

    public static final Span ZERO = new Span(0, 0);

    static Span of(Range range) {
        return range == null ? ZERO : new Span(range.min(), range.max());
    }

    static Span total(HarmCount count) {
        return count == null ? ZERO : of(count.total());
    }

    Span plus(Span other) {
        return new Span(min + other.min, max + other.max);
    }

    /**
     * What {@code this} (documented) leaves unexplained by {@code acknowledged}: the range of counts consistent with
     * both ranges, never below zero — from documented.min − acknowledged.max to documented.max − acknowledged.min.
     */
    Span minus(Span acknowledged) {
        return new Span(Math.max(0, min - acknowledged.max), Math.max(0, max - acknowledged.min));
    }
}
