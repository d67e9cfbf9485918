package org.civharm.contract.incident;

/** A count known as a range: {@code min <= max}; a known count has {@code min == max}. */
public record Range(int min, int max) {

    public static Range of(int min, int max) {
        return new Range(min, max);
    }

    public static Range exactly(int n) {
        return new Range(n, n);
    }

    public static Range none() {
        return new Range(0, 0);
    }
}
