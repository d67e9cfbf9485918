package org.civharm.contract.accountability;

import java.time.Instant;

/**
 * Amends were offered.
 *
 * @param amendsId                 id within the case, e.g. "AM-1"
 * @param amendsType               kind of amends (not "type": that key names the event on the wire)
 * @param offeredBy                the member state or command making the offer
 * @param offer                    the amount offered; null for amends in kind (medical care, repair)
 * @param recipientFamilyReference pseudonymous reference of the family
 * @param description              what is offered, in words
 */
public record AmendsOfferedEvent(
        String caseId,
        String amendsId,
        AmendsType amendsType,
        String offeredBy,
        Money offer,
        String recipientFamilyReference,
        String description,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements AccountabilityEvent {
}
