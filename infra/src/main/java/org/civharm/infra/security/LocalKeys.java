package org.civharm.infra.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The local system's token signing key: an RSA key pair made once under {@code <data>/security/}. The services get
 * the public half ({@code CIVHARM_SECURITY_JWT_PUBLIC_KEY_LOCATION}) and validate tokens exactly as they would
 * against a production identity provider; the private half signs the tokens {@code infra/mint-token.sh} prints.
 */
public final class LocalKeys {

    public static final String PRIVATE_KEY = "jwt-signing-key.pem";
    public static final String PUBLIC_KEY = "jwt-public-key.pem";

    private final PrivateKey privateKey;
    private final Path publicKeyFile;

    private LocalKeys(PrivateKey privateKey, Path publicKeyFile) {
        this.privateKey = privateKey;
        this.publicKeyFile = publicKeyFile;
    }

    /** Loads the key pair from {@code <dataDir>/security}, creating it on first use. */
    public static LocalKeys ensure(Path dataDir) throws IOException, GeneralSecurityException {
        Path dir = dataDir.resolve("security");
        Path privateFile = dir.resolve(PRIVATE_KEY);
        Path publicFile = dir.resolve(PUBLIC_KEY);
        if (!Files.isRegularFile(privateFile) || !Files.isRegularFile(publicFile)) {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            try {
                Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the data folder's own permissions apply
            }
            Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        }
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privateFile))));
        rsa.generatePublic(new X509EncodedKeySpec(der(Files.readString(publicFile)))); // fail early on a damaged file
        return new LocalKeys(privateKey, publicFile);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** Reads a public key PEM (for tests that check a token's signature). */
    public static RSAPublicKey readPublicKey(Path file) throws IOException, GeneralSecurityException {
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(Files.readString(file))));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
