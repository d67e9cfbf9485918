package org.civharm.notification.domain;

import java.util.Objects;

/**
 * One policy's settings.
 *
 * @param kind    which deadline
 * @param enabled whether it creates obligations
 * @param value   its number, in the kind's {@link PolicyUnit}
 */
public record Policy(PolicyKind kind, boolean enabled, int value) {

    public Policy {
        Objects.requireNonNull(kind, "kind");
        if (value < kind.unit().min() || value > kind.unit().max()) {
            throw new IllegalArgumentException(kind.wireName() + "." + kind.unit().field() + " must be between "
                    + kind.unit().min() + " and " + kind.unit().max() + ", was " + value);
        }
    }

    public static Policy defaultOf(PolicyKind kind) {
        return new Policy(kind, true, kind.defaultValue());
    }
}
