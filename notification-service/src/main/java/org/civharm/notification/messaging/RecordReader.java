package org.civharm.notification.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.upcasting.ContractUpcaster;
import org.civharm.contract.upcasting.UnsupportedContractVersionException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the listener, the dead-letter retry and the rebuild read a record with: the {@link EnvelopeReader}, behind two
 * checks of what this service can promise to understand.
 * <ul>
 *   <li>An envelope written with a <b>newer contract version</b> than this service supports
 *       ({@code civharm.kafka.supported-contract-version}, default the contract it was built with) is unreadable:
 *       reading it tolerantly could silently drop what the newer version means. Older versions pass (the envelope
 *       reader upcasts old shapes).</li>
 *   <li>An <b>event type the contract does not define</b> on that topic is unreadable too: it may be an event this
 *       service must act on but does not know yet. Types the contract defines but obligations do not use are still
 *       ignored by the envelope reader.</li>
 * </ul>
 * Either way the record is parked and its case held until an upgraded service retries it, or an operator discards it.
 */
@Component
public class RecordReader {

    private static final Set<String> INCIDENT_TYPES = Arrays.stream(IncidentEvent.class.getPermittedSubclasses())
            .map(c -> IncidentEvent.typeName(c.asSubclass(IncidentEvent.class))).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> ACCOUNTABILITY_TYPES = Arrays.stream(AccountabilityEvent.class.getPermittedSubclasses())
            .map(c -> AccountabilityEvent.typeName(c.asSubclass(AccountabilityEvent.class)))
            .collect(Collectors.toUnmodifiableSet());

    private final EnvelopeReader envelopes;
    private final int supportedVersion;
    private final ObjectMapper json = new ObjectMapper();

    public RecordReader(EnvelopeReader envelopes,
                        @Value("${civharm.kafka.supported-contract-version:" + EventEnvelope.CURRENT_CONTRACT_VERSION + "}")
                        int supportedVersion) {
        this.envelopes = envelopes;
        this.supportedVersion = supportedVersion;
    }

    public EnvelopeReader.Read read(ConsumerRecord<String, String> record) {
        JsonNode envelope = parse(record.value());
        if (envelope != null) {
            Integer version = version(envelope, record);
            if (version != null && version > supportedVersion) {
                return new EnvelopeReader.Read.Unreadable("contract version " + version + " is newer than the "
                        + "supported " + supportedVersion + ": parked until this service is upgraded");
            }
            JsonNode type = envelope.path("eventType").isTextual() ? envelope.path("eventType")
                    : envelope.path("event").path("type");
            Set<String> known = record.topic().equals(Topics.ACCOUNTABILITY_EVENTS) ? ACCOUNTABILITY_TYPES
                    : record.topic().equals(Topics.INCIDENT_EVENTS) ? INCIDENT_TYPES : null;
            if (type.isTextual() && known != null && !known.contains(type.asText().strip())) {
                return new EnvelopeReader.Read.Unreadable("unknown event type " + abbreviate(type.asText())
                        + " on " + record.topic() + " (contract version " + supportedVersion + ")");
            }
        }
        return envelopes.read(record, envelope); // parsed once (it was parsed again there)
    }

    /**
     * The envelope's version as the contract reads it ({@link ContractUpcaster#versionOf}); null when it states none
     * that is a version: the envelope reader then refuses the record with the upcaster's reason.
     */
    private static Integer version(JsonNode envelope, ConsumerRecord<String, String> record) {
        Header h = record.headers().lastHeader(EventHeaders.CONTRACT_VERSION);
        try {
            return ContractUpcaster.versionOf(envelope,
                    h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        } catch (UnsupportedContractVersionException e) {
            return null;
        }
    }

    /** The record as a JSON object, or null when it is not one (the envelope reader says why). */
    private JsonNode parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = json.readTree(value);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
