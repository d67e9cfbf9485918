package org.civharm.notification.config;

import org.civharm.notification.domain.PolicySettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Map;

/**
 * Policy defaults from configuration ({@code civharm.policies.<name>.enabled|days|monthly-cycles|days-when-no-due-date}),
 * applied over the built-in defaults and validated at start-up. They seed the stored policy set of a new database;
 * after that the stored set (changed with {@code PUT /policies}) is in force.
 */
@ConfigurationProperties("civharm")
public record PolicyProperties(Map<String, PolicySettings> policies) {

    public PolicyProperties {
        policies = policies == null ? Map.of() : Map.copyOf(policies);
    }
}
