package org.civharm.accountability.audit;

import java.time.Instant;
import java.util.List;

/**
 * A case's integrity across both services: one entry per producer's stream.
 *
 * @param status BROKEN if any stream is broken; NOT_FOUND if no stream has an event; VERIFIED otherwise
 */
public record CaseIntegrity(String caseId, StreamIntegrity.Status status, List<StreamIntegrity> streams,
                            Instant checkedAt) {

    static CaseIntegrity of(String caseId, List<StreamIntegrity> streams, Instant checkedAt) {
        StreamIntegrity.Status status;
        if (streams.stream().anyMatch(s -> s.status() == StreamIntegrity.Status.BROKEN)) {
            status = StreamIntegrity.Status.BROKEN;
        } else if (streams.stream().allMatch(s -> s.status() == StreamIntegrity.Status.NOT_FOUND)) {
            status = StreamIntegrity.Status.NOT_FOUND;
        } else {
            status = StreamIntegrity.Status.VERIFIED;
        }
        return new CaseIntegrity(caseId, status, List.copyOf(streams), checkedAt);
    }
}
