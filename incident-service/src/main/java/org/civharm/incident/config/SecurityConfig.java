package org.civharm.incident.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import java.io.IOException;
import java.io.InputStream;
import java.security.interfaces.RSAPublicKey;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import static org.civharm.incident.config.Roles.ACCOUNTABILITY_OFFICER;
import static org.civharm.incident.config.Roles.ADMIN;
import static org.civharm.incident.config.Roles.AUDITOR;
import static org.civharm.incident.config.Roles.CASEWORKER;
import static org.civharm.incident.config.Roles.INVESTIGATOR;

/**
 * Every endpoint but health needs a valid JWT, and each endpoint names the roles that may call it. Tokens are
 * validated the same way locally and in production (signature, expiry, issuer, audience); only where the signing
 * key comes from differs. The authenticated subject is who each event records.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfig {

    /**
     * Spring Security's firewall checks every header value a request reads against a Unicode regex (assigned, not a
     * control character). Run on the bearer token of every request, that regex was a fifth of incident-service's CPU
     * under load (a JFR profile at 50 commands/s). Same rule, checked by a loop for ASCII values; anything else still
     * goes through the regex.
     */
    @Bean
    WebSecurityCustomizer headerValueFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderValues(SecurityConfig::allowedHeaderValue);
        return web -> web.httpFirewall(firewall);
    }

    private static final Pattern ASSIGNED_NOT_CONTROL = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    static boolean allowedHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                return ASSIGNED_NOT_CONTROL.matcher(value).matches();
            }
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, SecurityProperties properties, ObjectMapper mapper) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**").authenticated()
                        .requestMatchers("/admin/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.DELETE, "/data-subjects/*").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.GET, "/allegations/*/export").hasRole(AUDITOR)
                        .requestMatchers(HttpMethod.GET, "/allegations/*/integrity").hasAnyRole(AUDITOR, CASEWORKER)
                        .requestMatchers(HttpMethod.POST, "/allegations", "/allegations/**").hasRole(CASEWORKER)
                        .requestMatchers(HttpMethod.GET, "/allegations", "/allegations/**")
                        .hasAnyRole(CASEWORKER, INVESTIGATOR, ACCOUNTABILITY_OFFICER, AUDITOR)
                        .anyRequest().denyAll())
                .oauth2ResourceServer(o -> o
                        .jwt(j -> j.jwtAuthenticationConverter(authentication(properties)))
                        .authenticationEntryPoint((request, response, e) -> problem(response, mapper,
                                HttpStatus.UNAUTHORIZED, "a valid bearer token is required (" + e.getMessage() + ")")))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> problem(response, mapper,
                                HttpStatus.UNAUTHORIZED, "a valid bearer token is required"))
                        .accessDeniedHandler((request, response, ex) -> problem(response, mapper, HttpStatus.FORBIDDEN,
                                "your role may not " + request.getMethod() + " " + request.getRequestURI())));
        return http.build();
    }

    /** Local and test tokens: signed by the RSA key whose public half is at {@code publicKeyLocation}. */
    @Bean
    @ConditionalOnProperty(name = "civharm.security.jwt.public-key-location")
    JwtDecoder localJwtDecoder(SecurityProperties properties) throws IOException {
        RSAPublicKey key;
        try (InputStream in = new DefaultResourceLoader().getResource(location(properties.publicKeyLocation())).getInputStream()) {
            key = RsaKeyConverters.x509().convert(in);
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuer()), audience(properties.audience())));
        return decoder;
    }

    /** The token's roles claim becomes {@code ROLE_*} authorities; its subject is the actor. */
    static Converter<Jwt, AbstractAuthenticationToken> authentication(SecurityProperties properties) {
        return jwt -> {
            List<String> roles = jwt.getClaimAsStringList(properties.rolesClaim());
            Collection<GrantedAuthority> authorities = roles == null ? List.of()
                    : roles.stream().<GrantedAuthority>map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList();
            return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
        };
    }

    static OAuth2TokenValidator<Jwt> audience(String audience) {
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "the token is not for audience " + audience, null));
    }

    @Bean
    OpenAPI openApi(@Value("${spring.application.name}") String name) {
        return new OpenAPI().info(new Info().title(name).version("1"))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    private static String location(String configured) {
        return configured.contains(":") && !configured.matches("^[A-Za-z]:\\\\.*") ? configured : "file:" + configured;
    }

    private static void problem(HttpServletResponse response, ObjectMapper mapper, HttpStatus status, String detail)
            throws IOException {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(status == HttpStatus.UNAUTHORIZED ? "Not authenticated" : "Forbidden");
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        mapper.writeValue(response.getOutputStream(), body);
    }
}
