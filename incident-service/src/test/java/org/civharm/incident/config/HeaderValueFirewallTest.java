package org.civharm.incident.config;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast header-value check accepts and refuses exactly what Spring Security's default regex does. */
class HeaderValueFirewallTest {

    /** Spring Security's default (StrictHttpFirewall): assigned code points that are not control characters. */
    private static final Pattern SPRING_DEFAULT = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final String[] PIECES = {"Bearer ", "eyJhbGciOiJSUzI1NiJ9", ".", "-_", " ", "\t", "\r", "\n", "\u0000",
            "\u007f", "\u0085", "é", "Raqqa", "الرقة", "\u0378", "\ud83d\ude00", "\ud83d", "~", "\u00a0"};

    @Test
    void agreesWithTheDefaultRuleOnTokensAndOnEveryKindOfCharacter() {
        Random random = new Random(20171017);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(6); n >= 0; n--) {
                value.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String v = value.toString();
            assertThat(SecurityConfig.allowedHeaderValue(v)).as("header value %s", v.codePoints().boxed().toList())
                    .isEqualTo(SPRING_DEFAULT.matcher(v).matches());
        }
        assertThat(SecurityConfig.allowedHeaderValue("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig")).isTrue();
        assertThat(SecurityConfig.allowedHeaderValue("Bearer x\r\nX-Injected: 1")).isFalse();
    }
}
