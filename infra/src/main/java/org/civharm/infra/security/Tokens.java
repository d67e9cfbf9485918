package org.civharm.infra.security;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RS256 JWTs for the local system, with the claims the services check: sub, iss, aud, iat, exp and roles. */
public final class Tokens {

    public static final String ISSUER = "civharm-local";
    public static final String AUDIENCE = "civharm";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokens() {
    }

    public static String mint(PrivateKey key, String subject, List<String> roles, Duration validFor)
            throws GeneralSecurityException {
        try {
            Instant now = Instant.now();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("sub", subject);
            claims.put("iss", ISSUER);
            claims.put("aud", AUDIENCE);
            claims.put("iat", now.getEpochSecond());
            claims.put("exp", now.plus(validFor).getEpochSecond());
            claims.put("roles", roles);
            String header = base64(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
            String payload = base64(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + base64(rsa.sign());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
