package org.civharm.accountability.audit;

import org.civharm.accountability.history.CaseEvent;
import org.civharm.contract.integrity.CaseExport;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A case exported for auditors ({@link CaseExport}, verifiable offline with {@code infra/verify-export.sh}): the
 * incident-service stream as received (the case file) and this service's stream from its event store, each event's
 * JSON as published or stored (numbers exactly as written) with its hash and link; each stream's head and the top
 * hash. Every export is recorded in the {@link ExportLog} before it is handed out.
 */
@Component
public class CaseExporter {

    private final CaseStreams streams;
    private final ExportLog log;
    private final Clock clock;

    public CaseExporter(CaseStreams streams, ExportLog log, Clock clock) {
        this.streams = streams;
        this.log = log;
        this.clock = clock;
    }

    /** Empty when neither service has an event of the case. */
    public Optional<CaseExport> export(String caseId, String actor) {
        List<CaseExport.ExportedEvent> incident = exported(streams.incidentStream(caseId));
        List<CaseExport.ExportedEvent> own = exported(streams.ownStream(caseId));
        if (incident.isEmpty() && own.isEmpty()) {
            return Optional.empty();
        }
        log.record(actor, "case export", Map.of("caseId", caseId), "json", incident.size() + own.size());
        return Optional.of(CaseExport.of(caseId, clock.instant(), actor, List.of(
                CaseExport.stream(CaseEvent.INCIDENT_SERVICE, incident),
                CaseExport.stream(CaseEvent.ACCOUNTABILITY_SERVICE, own))));
    }

    private static List<CaseExport.ExportedEvent> exported(List<CaseStreams.Kept> kept) {
        return kept.stream().map(k -> new CaseExport.ExportedEvent(k.sequence(), k.eventId(), k.type(), k.recordedAt(),
                k.hash(), k.previousHash(), k.exactTree())).toList();
    }
}
