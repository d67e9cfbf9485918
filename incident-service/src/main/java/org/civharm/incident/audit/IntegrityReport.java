package org.civharm.incident.audit;

import java.time.Instant;

/**
 * Result of recomputing one case's hash chain.
 *
 * @param status     VERIFIED, BROKEN or NOT_FOUND
 * @param events     number of events stored for the case
 * @param headHash   hash of the last event when the chain verifies (the value an export's top hash repeats)
 * @param firstBreak the first event that does not match, when BROKEN
 */
public record IntegrityReport(String caseId, Status status, int events, String headHash, FirstBreak firstBreak,
                              Instant checkedAt) {

    public enum Status { VERIFIED, BROKEN, NOT_FOUND }

    public enum Problem { HASH_MISMATCH, LINK_MISMATCH, SEQUENCE_GAP, MISSING_HASH }

    /**
     * @param sequence the position where the chain breaks
     * @param eventId  the stored event found there (null when the break is a missing tail)
     * @param expected the hash civharm recomputed or expected
     * @param found    the hash stored
     */
    public record FirstBreak(long sequence, String eventId, String type, Problem problem, String detail,
                             String expected, String found) {
    }
}
