package org.civharm.accountability.audit;

/**
 * Result of recomputing one producer's hash chain of a case.
 *
 * @param producedBy the service whose stream it is
 * @param source     where the stream was read: this service's event store, or the case file as received on Kafka
 * @param status     VERIFIED, BROKEN or NOT_FOUND
 * @param events     number of events read
 * @param headHash   hash of the last event when the chain verifies (the value an export's stream head repeats)
 * @param firstBreak the first event that does not match, when BROKEN
 */
public record StreamIntegrity(String producedBy, String source, Status status, int events, String headHash,
                              FirstBreak firstBreak) {

    public enum Status { VERIFIED, BROKEN, NOT_FOUND }

    /**
     * What is wrong at the first break: the content does not match its hash (edited); the link does not match the
     * event before it; a position is missing (removed event, or removed tail); the event carries no hash; two
     * different events claim the same position.
     */
    public enum Problem { HASH_MISMATCH, LINK_MISMATCH, SEQUENCE_GAP, MISSING_HASH, DUPLICATE_SEQUENCE }

    /**
     * @param sequence the position where the chain breaks
     * @param eventId  the event found there (null when the break is a missing tail)
     * @param expected the hash recomputed or expected
     * @param found    the hash stored
     */
    public record FirstBreak(long sequence, String eventId, String type, Problem problem, String detail,
                             String expected, String found) {
    }
}
