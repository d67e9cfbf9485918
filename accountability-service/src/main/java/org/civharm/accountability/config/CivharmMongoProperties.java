package org.civharm.accountability.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;

/**
 * Which database of the Mongo deployment (given by {@code spring.data.mongodb.uri}) this service owns.
 *
 * @param database the database holding this service's event store, token store and views
 */
@Validated
@ConfigurationProperties("civharm.mongo")
public record CivharmMongoProperties(@NotBlank String database) {
}
