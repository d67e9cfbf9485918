package org.civharm.contract.incident;

import java.time.Instant;

/**
 * The reported civilian casualties were revised. Both the figures before and after are carried, so the history
 * reads on its own: nothing is overwritten.
 *
 * @param revision sequence number of the revision within the case, starting at 1
 * @param previous figures before the revision
 * @param revised  figures after the revision
 * @param reason   why they were revised, e.g. "names of 4 more victims confirmed by family"
 */
public record CasualtyFiguresRevisedEvent(
        String caseId,
        int revision,
        CasualtyFigures previous,
        CasualtyFigures revised,
        String reason,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements IncidentEvent {
}
