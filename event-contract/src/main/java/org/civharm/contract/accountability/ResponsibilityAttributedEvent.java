package org.civharm.contract.accountability;

import java.time.Instant;
import java.util.List;

/**
 * Responsibility was attributed to member states. A later attribution supersedes the earlier one in the views; both
 * stay in the stream.
 *
 * @param attributions the member states and their roles (at least one)
 * @param basis        what the attribution rests on, e.g. "CJTF-OIR response to Airwars, 2019"
 */
public record ResponsibilityAttributedEvent(
        String caseId,
        List<Attribution> attributions,
        String basis,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
