package org.civharm.contract.incident;

import java.time.Instant;

/**
 * The belligerent assessed the allegation as credible: it acknowledged civilian harm. When this follows a dismissal
 * (after a reopening), the dismissal is reversed but stays in the history.
 *
 * @param assessedBy       the belligerent that made the assessment
 * @param concededKilled   civilian deaths it conceded
 * @param concededInjured  civilian injuries it conceded
 * @param statement        the statement that made the acknowledgement, e.g. a monthly civilian-casualty report
 * @param reversesDismissal true when the case had been dismissed before
 * @param comment          the recorder's comment; may be null
 */
public record AllegationAcknowledgedEvent(
        String caseId,
        String assessedBy,
        Range concededKilled,
        Range concededInjured,
        Statement statement,
        boolean reversesDismissal,
        String comment,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements IncidentEvent {
}
