package org.civharm.notification.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How tokens are checked. In production set {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (or
 * {@code jwk-set-uri}) and leave {@code publicKeyLocation} empty; locally the launcher creates an RSA key pair and
 * gives the services its public half, so the local system and the tests run the same JWT validation.
 *
 * @param publicKeyLocation PEM file of the RSA public key that signs local tokens; empty in production
 * @param issuer            required {@code iss} of local tokens
 * @param audience          required {@code aud} of every token
 * @param rolesClaim        claim holding the user's roles (a list of names from {@link Roles})
 */
@ConfigurationProperties("civharm.security.jwt")
public record SecurityProperties(String publicKeyLocation, String issuer, String audience, String rolesClaim) {

    public SecurityProperties {
        issuer = issuer == null || issuer.isBlank() ? "civharm-local" : issuer;
        audience = audience == null || audience.isBlank() ? "civharm" : audience;
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
    }
}
