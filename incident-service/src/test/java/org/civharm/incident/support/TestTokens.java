package org.civharm.incident.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real signed JWTs for tests: an RSA key pair made once per test JVM, its public half written as PEM for the service
 * to trust (as the local launcher does), and RS256 tokens for a subject and roles.
 */
public final class TestTokens {

    private static KeyPair keys;
    private static Path publicKeyPem;

    private TestTokens() {
    }

    public static synchronized Path publicKeyPem() {
        init();
        return publicKeyPem;
    }

    /** The public key as a JWK set (what an identity provider serves at its jwks_uri). */
    public static synchronized String jwkSet() {
        init();
        java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) keys.getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
                + b64.encodeToString(unsigned(key.getModulus().toByteArray())) + "\",\"e\":\""
                + b64.encodeToString(unsigned(key.getPublicExponent().toByteArray())) + "\"}]}";
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** {@code Authorization} header value for a user with the given roles. */
    public static String bearer(String subject, String... roles) {
        return "Bearer " + token(subject, "civharm-local", "civharm", Instant.now().plusSeconds(3600), roles);
    }

    public static synchronized String token(String subject, String issuer, String audience, Instant expiresAt,
                                            String... roles) {
        init();
        try {
            ObjectMapper json = new ObjectMapper();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("sub", subject);
            claims.put("iss", issuer);
            claims.put("aud", audience);
            claims.put("iat", Instant.now().getEpochSecond() - 5);
            claims.put("exp", expiresAt.getEpochSecond());
            claims.put("roles", List.of(roles));
            String header = base64(json.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
            String payload = base64(json.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + base64(rsa.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void init() {
        if (keys != null) {
            return;
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            publicKeyPem = Files.createTempFile("civharm-test-jwt", ".pem");
            publicKeyPem.toFile().deleteOnExit();
            Files.writeString(publicKeyPem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
