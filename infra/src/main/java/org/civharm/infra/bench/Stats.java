package org.civharm.infra.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Percentiles (nearest rank) and medians of measured values. */
final class Stats {

    private Stats() {
    }

    /** Nearest-rank percentile of the values, NaN when there are none. */
    static double percentile(Collection<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** Median of the values that are numbers (NaN ignored); NaN when none is. */
    static double median(Collection<Double> values) {
        List<Double> numbers = new ArrayList<>();
        for (Double v : values) {
            if (v != null && !v.isNaN()) {
                numbers.add(v);
            }
        }
        if (numbers.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(numbers);
        int n = numbers.size();
        return n % 2 == 1 ? numbers.get(n / 2) : (numbers.get(n / 2 - 1) + numbers.get(n / 2)) / 2;
    }

    static double max(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
