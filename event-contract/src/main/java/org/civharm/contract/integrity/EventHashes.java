package org.civharm.contract.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The hash chain every case stream carries, per case and per producing service: each event's hash covers its
 * canonical bytes and the previous event's hash, so an edited, inserted or removed event breaks the chain.
 *
 * <h2>Canonical form (documented, stable)</h2>
 * The hashed text is the canonical JSON of the object
 * {@code {"caseId": <case id>, "event": <event>, "previousHash": <hex>, "sequence": <n>, "type": <type name>}}, where
 * {@code event} is the event's JSON as stored or published, and canonical JSON means:
 * <ul>
 *   <li>object members sorted by name (by UTF-16 code units, i.e. {@link String#compareTo}), recursively;</li>
 *   <li>members whose value is {@code null} left out (so a form that omits nulls hashes the same as one that
 *       writes them);</li>
 *   <li>no insignificant whitespace; array order kept;</li>
 *   <li>strings escaped as Jackson writes them (UTF-8, {@code \"} {@code \\} and control characters escaped);</li>
 *   <li>numbers in one form whatever the parser: an integer as its digits; any other number as the shortest decimal
 *       that reads back as the same IEEE-754 double, without trailing zeros or exponent ({@code 2500.00},
 *       {@code 2500.0} and {@code 2500} all hash as {@code 2500}; {@code 0.10} as {@code 0.1}). So a verifier that
 *       reads decimals exactly and one that reads them as doubles agree (amounts beyond double precision — more than
 *       15 significant digits — are compared at double precision);</li>
 *   <li>dates are the ISO-8601 strings the events hold (e.g. {@code "2018-07-26T00:00:00Z"}).</li>
 * </ul>
 * The hash is the lowercase hex SHA-256 of the canonical text's UTF-8 bytes. The first event of a stream links to
 * {@link #GENESIS} (64 zeros). Personal data is hashed as stored (ciphertext once it is encrypted), so erasing a key
 * never breaks a chain.
 */
public final class EventHashes {

    /** Metadata key under which producers store an event's hash. */
    public static final String HASH = "eventHash";
    /** Metadata key under which producers store the previous event's hash. */
    public static final String PREVIOUS_HASH = "previousEventHash";
    /** The previous hash of the first event of every stream. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper TREE = new ObjectMapper();

    private EventHashes() {
    }

    /** The hash of one event, given the previous event's hash. */
    public static String hash(String caseId, long sequence, String type, String previousHash, JsonNode event) {
        ObjectNode linked = TREE.createObjectNode();
        linked.put("caseId", caseId);
        linked.set("event", event);
        linked.put("previousHash", previousHash);
        linked.put("sequence", sequence);
        linked.put("type", type);
        return sha256(canonicalJson(linked));
    }

    /** The canonical JSON text of a tree (see the class comment). */
    public static String canonicalJson(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(name -> {
                if (!node.get(name).isNull()) {
                    names.add(name);
                }
            });
            names.sort(String::compareTo);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(quote(names.get(i))).append(':');
                write(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            out.append(quote(node.textValue()));
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue().toString());
        } else if (node.isNumber()) {
            out.append(new BigDecimal(Double.toString(node.doubleValue())).stripTrailingZeros().toPlainString());
        } else {
            out.append(node.toString()); // booleans and null as Jackson prints them
        }
    }

    private static String quote(String text) {
        try {
            return TREE.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
