package org.civharm.notification.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Which database of the Mongo deployment (given by {@code spring.data.mongodb.uri}) this service owns.
 *
 * @param database the database holding facts, obligations, alerts, deliveries, policies and parked records
 */
@Validated
@ConfigurationProperties("civharm.mongo")
public record CivharmMongoProperties(@NotBlank String database) {
}
