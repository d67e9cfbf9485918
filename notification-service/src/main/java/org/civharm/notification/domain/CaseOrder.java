package org.civharm.notification.domain;

import org.civharm.notification.api.CaseFact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order in which a case's facts are applied, whatever order they arrived in. Each producer's facts keep their
 * stream order (by {@code sequence}); the two producers' streams are merged by when things happened in the world
 * ({@code occurredAt}), an incident-service fact first on a tie (an acknowledgement comes before what follows it).
 * <p>
 * The two topics are consumed independently, so after a replay an {@code InvestigationOpened} may be read before the
 * {@code AllegationAcknowledged} it follows; applying facts in this order, not in arrival order, makes the result
 * the same either way.
 */
public final class CaseOrder {

    static final String INCIDENT_SERVICE = "incident-service";

    private CaseOrder() {
    }

    public static List<CaseFact> sort(List<CaseFact> facts) {
        Map<String, List<CaseFact>> byProducer = new TreeMap<>(Comparator
                .comparing((String p) -> !p.equals(INCIDENT_SERVICE)).thenComparing(Comparator.naturalOrder()));
        for (CaseFact fact : facts) {
            byProducer.computeIfAbsent(fact.producer(), p -> new ArrayList<>()).add(fact);
        }
        List<List<CaseFact>> streams = new ArrayList<>();
        for (List<CaseFact> stream : byProducer.values()) {
            stream.sort(Comparator.comparingLong(CaseFact::sequence).thenComparing(CaseFact::eventId));
            streams.add(stream);
        }
        int[] next = new int[streams.size()];
        List<CaseFact> ordered = new ArrayList<>(facts.size());
        while (ordered.size() < facts.size()) {
            int pick = -1;
            for (int i = 0; i < streams.size(); i++) {
                if (next[i] < streams.get(i).size()) {
                    CaseFact head = streams.get(i).get(next[i]);
                    // strictly earlier wins; on a tie the earlier stream (incident-service first) wins
                    if (pick < 0 || head.occurredAt().isBefore(streams.get(pick).get(next[pick]).occurredAt())) {
                        pick = i;
                    }
                }
            }
            ordered.add(streams.get(pick).get(next[pick]++));
        }
        return ordered;
    }
}
