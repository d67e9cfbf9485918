package org.civharm.contract.accountability;

import java.time.Instant;

/**
 * An accountability record was opened for a case.
 *
 * @param trigger            acknowledgement (automatic) or contested dismissal (by hand)
 * @param triggeringEventId  id of the incident event that opened it (the acknowledgement); null when opened by hand
 * @param reason             why, in words (for a contested dismissal: who contests it and on what grounds)
 */
public record AccountabilityRecordOpenedEvent(
        String caseId,
        OpeningTrigger trigger,
        String triggeringEventId,
        String reason,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
