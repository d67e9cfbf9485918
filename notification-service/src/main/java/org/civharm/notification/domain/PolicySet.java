package org.civharm.notification.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * All policies in force, with the version of the set (incremented by each accepted change). A change is validated
 * whole: one bad field refuses it all and nothing changes.
 */
public record PolicySet(Map<PolicyKind, Policy> policies, long version, Instant updatedAt, String updatedBy) {

    public PolicySet {
        Objects.requireNonNull(policies, "policies");
        EnumMap<PolicyKind, Policy> copy = new EnumMap<>(PolicyKind.class);
        for (PolicyKind kind : PolicyKind.values()) {
            copy.put(kind, policies.getOrDefault(kind, Policy.defaultOf(kind)));
        }
        policies = Collections.unmodifiableMap(copy);
    }

    /** The built-in defaults (version 0). */
    public static PolicySet defaults() {
        return new PolicySet(Map.of(), 0, null, null);
    }

    public Policy get(PolicyKind kind) {
        return policies.get(kind);
    }

    public boolean enabled(PolicyKind kind) {
        return get(kind).enabled();
    }

    /** Result of {@link #change}: the new set, or the problems that refused it. */
    public record Change(PolicySet result, List<Problem> problems) {
        public boolean accepted() {
            return problems.isEmpty();
        }
    }

    /**
     * Applies requested settings by policy name. Unknown names, missing bodies, values out of range and fields of
     * another unit are refused, each named by its path; then nothing changes.
     *
     * @param edits policy name → requested settings (fields left out keep their value)
     * @param at    when the change is made
     * @param by    who makes it
     */
    public Change change(Map<String, PolicySettings> edits, Instant at, String by) {
        List<Problem> problems = new ArrayList<>();
        if (edits == null || edits.isEmpty()) {
            problems.add(new Problem("body", "must name at least one policy (one of " + PolicyKind.wireNames() + ")"));
            return new Change(this, problems);
        }
        EnumMap<PolicyKind, Policy> next = new EnumMap<>(policies);
        edits.forEach((name, settings) -> {
            var kind = PolicyKind.ofWireName(name);
            if (kind.isEmpty()) {
                problems.add(new Problem(name, "is not a known policy (one of " + PolicyKind.wireNames() + ")"));
                return;
            }
            if (settings == null) {
                problems.add(new Problem(name, "must be an object such as {\"enabled\": true, \""
                        + kind.get().unit().field() + "\": " + kind.get().defaultValue() + "}"));
                return;
            }
            Policy current = next.get(kind.get());
            PolicyUnit unit = kind.get().unit();
            for (PolicyUnit other : PolicyUnit.values()) {
                if (other != unit && settings.valueFor(other) != null) {
                    problems.add(new Problem(name + "." + other.field(), "does not apply to " + name + "; use "
                            + unit.field()));
                }
            }
            Integer value = settings.valueFor(unit);
            if (value != null && (value < unit.min() || value > unit.max())) {
                problems.add(new Problem(name + "." + unit.field(), "must be between " + unit.min() + " and "
                        + unit.max() + " (was " + value + ")"));
                return;
            }
            next.put(kind.get(), new Policy(kind.get(),
                    settings.enabled() != null ? settings.enabled() : current.enabled(),
                    value != null ? value : current.value()));
        });
        if (!problems.isEmpty()) {
            problems.sort((a, b) -> a.field().compareTo(b.field()));
            return new Change(this, problems);
        }
        return new Change(new PolicySet(next, version + 1, at, by), List.of());
    }
}
