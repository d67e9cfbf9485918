package org.civharm.accountability.audit;

import org.civharm.accountability.history.CaseEvent;
import org.civharm.accountability.views.AccountabilityRecordRepository;
import org.civharm.accountability.views.IncidentCaseRepository;
import org.civharm.accountability.views.TimelineEntry;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes a case's two hash chains and names the first event that does not match in each:
 * <ul>
 *   <li><b>accountability-service</b>, from this service's event store (raw documents): an edited event
 *       (HASH_MISMATCH), a removed one (SEQUENCE_GAP, or LINK_MISMATCH), a removed tail (the record view or the case
 *       file has seen a later sequence than the store holds), and a stream re-hashed after the fact (an event's hash
 *       differs from the one it was published with, as kept in the case file);</li>
 *   <li><b>incident-service</b>, as received on its topic (the case file): each event's hash recomputed from its
 *       JSON as published, links, sequence gaps, and a removed tail (the incident copy has seen a later sequence).
 *       This checks what this service received and keeps; incident-service checks its own store.</li>
 * </ul>
 */
@Component
public class CaseIntegrityVerifier {

    static final String OWN_SOURCE = "event store of accountability-service";
    static final String INCIDENT_SOURCE = "case file, as received on civharm.incident.events.v1";

    private final CaseStreams streams;
    private final AccountabilityRecordRepository records;
    private final IncidentCaseRepository incidents;
    private final Clock clock;

    public CaseIntegrityVerifier(CaseStreams streams, AccountabilityRecordRepository records,
                                 IncidentCaseRepository incidents, Clock clock) {
        this.streams = streams;
        this.records = records;
        this.incidents = incidents;
        this.clock = clock;
    }

    public CaseIntegrity verify(String caseId) {
        return CaseIntegrity.of(caseId, List.of(incident(caseId), own(caseId)), clock.instant());
    }

    StreamIntegrity own(String caseId) {
        List<CaseStreams.Kept> stored = streams.ownStream(caseId);
        List<TimelineEntry> published = streams.ownStreamAsPublished(caseId);
        long seen = Math.max(records.findById(caseId).map(v -> v.lastSequence).orElse(-1L),
                published.stream().mapToLong(TimelineEntry::sequence).max().orElse(-1L));
        StreamIntegrity result = ChainCheck.verify(caseId, CaseEvent.ACCOUNTABILITY_SERVICE, OWN_SOURCE, links(stored), seen);
        if (result.status() != StreamIntegrity.Status.VERIFIED) {
            return result;
        }
        // The chain holds together; does it still hold the hashes it was published with?
        Map<String, String> publishedHashes = new HashMap<>();
        published.forEach(e -> publishedHashes.put(e.eventId(), e.hash()));
        for (CaseStreams.Kept k : stored) {
            String hash = publishedHashes.get(k.eventId());
            if (hash != null && !hash.equals(k.hash())) {
                return new StreamIntegrity(CaseEvent.ACCOUNTABILITY_SERVICE, OWN_SOURCE, StreamIntegrity.Status.BROKEN,
                        stored.size(), null, new StreamIntegrity.FirstBreak(k.sequence(), k.eventId(), k.type(),
                        StreamIntegrity.Problem.HASH_MISMATCH, "the stored chain is consistent but this event's hash "
                        + "differs from the hash it was published with: the stream was re-hashed after publication",
                        hash, k.hash()));
            }
        }
        return result;
    }

    StreamIntegrity incident(String caseId) {
        long seen = incidents.findById(caseId).map(c -> c.lastSequence).orElse(-1L);
        return ChainCheck.verify(caseId, CaseEvent.INCIDENT_SERVICE, INCIDENT_SOURCE,
                links(streams.incidentStream(caseId)), seen);
    }

    private static List<ChainCheck.Link> links(List<CaseStreams.Kept> kept) {
        return kept.stream().map(k -> new ChainCheck.Link(k.sequence(), k.eventId(), k.type(), k.hash(),
                k.previousHash(), k.chainTree())).toList();
    }
}
