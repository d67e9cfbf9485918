package org.civharm.accountability.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.civharm.contract.integrity.EventHashes;

import java.util.List;

/**
 * Recomputes one stream's hash chain ({@link EventHashes}) and names the first event whose position, link or content
 * does not match. Pure: the callers read the events (raw event-store documents, or case-file entries as received).
 */
final class ChainCheck {

    /**
     * One event as read.
     *
     * @param hash         the hash stored with it (null if none)
     * @param previousHash the link stored with it (null if none)
     * @param event        its JSON as stored or published, read by a plain parser (see {@code EventJson})
     */
    record Link(long sequence, String eventId, String type, String hash, String previousHash, JsonNode event) {
    }

    private ChainCheck() {
    }

    /**
     * @param links        the stream's events by sequence
     * @param seenSequence the highest sequence of this stream that other records (views, the case file) have seen;
     *                     -1 if none. Above the last event read, the tail of the stream was removed.
     */
    static StreamIntegrity verify(String caseId, String producedBy, String source, List<Link> links, long seenSequence) {
        if (links.isEmpty()) {
            if (seenSequence >= 0) {
                return broken(producedBy, source, 0, new StreamIntegrity.FirstBreak(0, null, null,
                        StreamIntegrity.Problem.SEQUENCE_GAP, "events up to sequence " + seenSequence
                        + " were seen, but none is stored: the stream was removed", null, null));
            }
            return new StreamIntegrity(producedBy, source, StreamIntegrity.Status.NOT_FOUND, 0, null, null);
        }
        String previous = EventHashes.GENESIS;
        long expected = 0;
        for (Link link : links) {
            if (link.sequence() == expected - 1) {
                return broken(producedBy, source, links.size(), at(link, StreamIntegrity.Problem.DUPLICATE_SEQUENCE,
                        "a second, different event claims sequence " + link.sequence(), null, link.hash()));
            }
            if (link.sequence() != expected) {
                return broken(producedBy, source, links.size(), at(link, StreamIntegrity.Problem.SEQUENCE_GAP,
                        "expected sequence " + expected + " but the next event has " + link.sequence()
                                + ": event(s) missing from the stream", null, null));
            }
            if (link.hash() == null || link.previousHash() == null) {
                return broken(producedBy, source, links.size(), at(link, StreamIntegrity.Problem.MISSING_HASH,
                        "the event carries no hash-chain fields", null, null));
            }
            if (!link.previousHash().equals(previous)) {
                return broken(producedBy, source, links.size(), at(link, StreamIntegrity.Problem.LINK_MISMATCH,
                        "the event links to a previous hash that is not the hash of the event before it",
                        previous, link.previousHash()));
            }
            String recomputed = EventHashes.hash(caseId, link.sequence(), link.type(), previous, link.event());
            if (!recomputed.equals(link.hash())) {
                return broken(producedBy, source, links.size(), at(link, StreamIntegrity.Problem.HASH_MISMATCH,
                        "the event does not match its hash: it was changed after it was recorded", recomputed,
                        link.hash()));
            }
            previous = link.hash();
            expected++;
        }
        long last = expected - 1;
        if (seenSequence > last) {
            return broken(producedBy, source, links.size(), new StreamIntegrity.FirstBreak(last + 1, null, null,
                    StreamIntegrity.Problem.SEQUENCE_GAP, "events up to sequence " + seenSequence
                    + " were seen, but the stream ends at " + last + ": the tail of the stream was removed", null, null));
        }
        return new StreamIntegrity(producedBy, source, StreamIntegrity.Status.VERIFIED, links.size(), previous, null);
    }

    private static StreamIntegrity.FirstBreak at(Link link, StreamIntegrity.Problem problem, String detail,
                                                 String expected, String found) {
        return new StreamIntegrity.FirstBreak(link.sequence(), link.eventId(), link.type(), problem, detail, expected, found);
    }

    private static StreamIntegrity broken(String producedBy, String source, int events, StreamIntegrity.FirstBreak at) {
        return new StreamIntegrity(producedBy, source, StreamIntegrity.Status.BROKEN, events, null, at);
    }
}
