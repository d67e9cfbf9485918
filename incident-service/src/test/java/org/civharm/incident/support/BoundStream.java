package org.civharm.incident.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.views.CaseEventStream;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A case's stream as {@code /events} wrote it before it was written from the stored JSON: each event read through
 * Axon (upcast and bound to its class), for the API's mapper to write. Tests compare the served stream with it.
 */
public final class BoundStream {

    private BoundStream() {
    }

    /** The JSON the API's HTTP converter writes for {@code value}: UTF-8 bytes (not a String, which differs in escapes). */
    public static String utf8(ObjectMapper mapper, Object value) throws Exception {
        return new String(mapper.writeValueAsBytes(value), StandardCharsets.UTF_8);
    }

    public static List<CaseEventStream.Entry> of(EventStore eventStore, String caseId) {
        return eventStore.readEvents(caseId, 0).asStream().map(m -> {
            String simple = m.getPayloadType().getSimpleName();
            return new CaseEventStream.Entry(m.getSequenceNumber(), m.getIdentifier(),
                    simple.substring(0, simple.length() - "Event".length()),
                    ((IncidentEvent) m.getPayload()).recordedAt(), (String) m.getMetaData().get(EventHashes.HASH),
                    (String) m.getMetaData().get(EventHashes.PREVIOUS_HASH), m.getPayload());
        }).toList();
    }
}
