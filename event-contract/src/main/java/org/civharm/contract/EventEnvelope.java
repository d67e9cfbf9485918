package org.civharm.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * The JSON body of every record published to a civharm topic.
 *
 * @param eventId         stable id of the event (the id it has in the producer's event store); consumers deduplicate on it
 * @param eventType       the event's type name, the same as the {@code type} property inside {@code event}
 * @param contractVersion version of this contract the body was written with
 * @param caseId          the case the event belongs to; also the record key
 * @param sequence        position of the event in its case stream at the producer, starting at 0, without gaps
 * @param producedBy      the service whose event store holds the event
 * @param recordedAt      when the producer stored the event
 * @param event           the event itself
 * @param hash            the event's hash in its case stream's hash chain (see
 *                        {@link org.civharm.contract.integrity.EventHashes}); null from producers without a chain
 * @param previousHash    the hash of the event before it in the case stream ({@code GENESIS} for the first)
 * @param <E>             the context's event type
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventEnvelope<E>(
        String eventId,
        String eventType,
        int contractVersion,
        String caseId,
        long sequence,
        String producedBy,
        Instant recordedAt,
        E event,
        String hash,
        String previousHash) {

    public static final int CURRENT_CONTRACT_VERSION = 1;

    /** An envelope without hash-chain fields. */
    public EventEnvelope(String eventId, String eventType, int contractVersion, String caseId, long sequence,
                         String producedBy, Instant recordedAt, E event) {
        this(eventId, eventType, contractVersion, caseId, sequence, producedBy, recordedAt, event, null, null);
    }
}
