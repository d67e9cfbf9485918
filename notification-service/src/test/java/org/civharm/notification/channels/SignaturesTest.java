package org.civharm.notification.channels;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SignaturesTest {

    @Test
    void signs_the_body_with_hmac_sha256_as_lowercase_hex() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertThat(Signatures.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void verification_rejects_another_body_another_secret_or_no_header() {
        byte[] body = "{\"eventType\":\"AlertRaised\"}".getBytes(StandardCharsets.UTF_8);
        String header = Signatures.sign("s3cret", body);
        assertThat(Signatures.verify("s3cret", body, header)).isTrue();
        assertThat(Signatures.verify("s3cret", body, " " + header + " ")).isTrue();
        assertThat(Signatures.verify("other", body, header)).isFalse();
        assertThat(Signatures.verify("s3cret", "{}".getBytes(StandardCharsets.UTF_8), header)).isFalse();
        assertThat(Signatures.verify("s3cret", body, null)).isFalse();
    }
}
