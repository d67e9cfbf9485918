package org.civharm.accountability.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.accountability.audit.CaseExporter;
import org.civharm.accountability.audit.CaseIntegrity;
import org.civharm.accountability.audit.CaseIntegrityVerifier;
import org.civharm.accountability.audit.StreamIntegrity;
import org.civharm.accountability.history.CaseHistory;
import org.civharm.contract.integrity.CaseExport;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * What auditors read about one case: the replay step by step, the integrity of both hash chains, and a verifiable
 * export. The case file as of an instant is {@code GET /cases/{id}/file?asOf=} ({@link CaseController}).
 */
@RestController
@RequestMapping(path = "/cases", produces = "application/json")
@Tag(name = "Audit", description = "Replay, integrity of the hash chains, verifiable export")
public class CaseAuditController {

    private final CaseHistory history;
    private final CaseIntegrityVerifier verifier;
    private final CaseExporter exporter;

    public CaseAuditController(CaseHistory history, CaseIntegrityVerifier verifier, CaseExporter exporter) {
        this.history = history;
        this.verifier = verifier;
        this.exporter = exporter;
    }

    @GetMapping("/{caseId}/replay")
    @Operation(summary = "The whole case step by step, across both services: after each event, the event (who recorded "
            + "it, when, its hash) and the resulting state",
            description = "Events in the order they went on record (each service's stream in its own order); "
                    + "'changes' names a change of incident status or accountability stage, e.g. "
                    + "'incident status REOPENED -> CREDIBLE'.")
    public List<CaseHistory.ReplayStep> replay(@PathVariable String caseId) {
        List<CaseHistory.ReplayStep> steps = history.replay(CaseIds.check(caseId));
        if (steps.isEmpty()) {
            throw CaseNotFoundException.file(caseId);
        }
        return steps;
    }

    @GetMapping("/{caseId}/integrity")
    @Operation(summary = "Recompute both hash chains: this service's stream from its event store, incident-service's "
            + "as received on Kafka; VERIFIED, or BROKEN naming the first event that does not match",
            description = "Per stream: HASH_MISMATCH (edited), LINK_MISMATCH, SEQUENCE_GAP (removed event or tail), "
                    + "MISSING_HASH, DUPLICATE_SEQUENCE. 404 when neither stream has an event.")
    public CaseIntegrity integrity(@PathVariable String caseId) {
        CaseIntegrity report = verifier.verify(CaseIds.check(caseId));
        if (report.status() == StreamIntegrity.Status.NOT_FOUND) {
            throw CaseNotFoundException.file(caseId);
        }
        return report;
    }

    @GetMapping("/{caseId}/export")
    @Operation(summary = "Export the case (both services' streams, every event with its hash and link, stream heads "
            + "and a top hash), verifiable offline with infra/verify-export.sh; the export is recorded",
            description = "Format civharm-case-export/1 (CaseExport in the event contract). Events are given as "
                    + "stored or published; personal data stays sealed.")
    public CaseExport export(@Parameter(description = "the case id") @PathVariable String caseId) {
        String who = Actors.current();
        return exporter.export(CaseIds.check(caseId), who).orElseThrow(() -> CaseNotFoundException.file(caseId));
    }
}
