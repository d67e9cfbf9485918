package org.civharm.contract.integrity;

import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a {@link CaseExport} offline: every event's hash recomputed from its JSON, every link to the event before
 * it, sequences without gaps from 0, each stream's head, and the top hash.
 */
public final class ExportVerifier {

    private ExportVerifier() {
    }

    /** The problems found, in order; empty when the export verifies. */
    public static List<String> verify(CaseExport export) {
        List<String> problems = new ArrayList<>();
        if (!CaseExport.FORMAT.equals(export.format())) {
            problems.add("unknown format " + export.format() + " (expected " + CaseExport.FORMAT + ")");
            return problems;
        }
        for (CaseExport.Stream stream : export.streams()) {
            String previous = EventHashes.GENESIS;
            long expected = 0;
            for (CaseExport.ExportedEvent e : stream.events()) {
                String where = stream.producedBy() + " sequence " + e.sequence() + " (" + e.type() + ", " + e.eventId() + ")";
                if (e.sequence() != expected) {
                    problems.add(stream.producedBy() + ": expected sequence " + expected + " but found " + e.sequence()
                            + ": event(s) missing");
                    return problems;
                }
                if (!previous.equals(e.previousHash())) {
                    problems.add(where + ": links to " + e.previousHash() + " but the event before it has hash " + previous);
                    return problems;
                }
                String recomputed = EventHashes.hash(export.caseId(), e.sequence(), e.type(), previous, e.event());
                if (!recomputed.equals(e.hash())) {
                    problems.add(where + ": content does not match its hash (recomputed " + recomputed + ", stated "
                            + e.hash() + ")");
                    return problems;
                }
                previous = recomputed;
                expected++;
            }
            if (!previous.equals(stream.headHash())) {
                problems.add(stream.producedBy() + ": head hash " + stream.headHash() + " is not the last event's hash " + previous);
            }
        }
        String top = CaseExport.topHash(export.caseId(), export.streams());
        if (!top.equals(export.topHash())) {
            problems.add("top hash " + export.topHash() + " does not match the streams (recomputed " + top + ")");
        }
        return problems;
    }
}
