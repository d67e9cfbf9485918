package org.civharm.incident.api;

import org.civharm.contract.incident.EvidenceKind;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Attach an evidence item (URL or uploaded file) to a case. */
public record AttachEvidenceCommand(
        @TargetAggregateIdentifier String caseId,
        EvidenceKind kind,
        String location,
        String sha256,
        String description,
        Instant capturedAt,
        String capturedBy,
        String actor,
        Instant occurredAt) {
}
