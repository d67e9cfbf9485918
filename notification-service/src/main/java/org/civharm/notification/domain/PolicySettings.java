package org.civharm.notification.domain;

/**
 * Requested settings of one policy, as written in configuration or in a {@code PUT /policies} body. Every field is
 * optional: a field left out keeps its current value. Only the field of the policy's own unit may be given.
 */
public record PolicySettings(Boolean enabled, Integer days, Integer monthlyCycles, Integer daysWhenNoDueDate) {

    Integer valueFor(PolicyUnit unit) {
        return switch (unit) {
            case DAYS -> days;
            case MONTHLY_CYCLES -> monthlyCycles;
            case DAYS_WHEN_NO_DUE_DATE -> daysWhenNoDueDate;
        };
    }

    public static PolicySettings of(Policy policy) {
        PolicyUnit unit = policy.kind().unit();
        return new PolicySettings(policy.enabled(),
                unit == PolicyUnit.DAYS ? policy.value() : null,
                unit == PolicyUnit.MONTHLY_CYCLES ? policy.value() : null,
                unit == PolicyUnit.DAYS_WHEN_NO_DUE_DATE ? policy.value() : null);
    }
}
