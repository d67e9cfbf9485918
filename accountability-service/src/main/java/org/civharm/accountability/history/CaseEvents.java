package org.civharm.accountability.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.civharm.accountability.views.TimelineEntry;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.incident.IncidentEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads case-file entries back into typed events, and merges a case's two streams into the one order the fold uses.
 */
public final class CaseEvents {

    private static final ObjectMapper READER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CaseEvents() {
    }

    /** The typed event of an entry (read tolerantly, as published). */
    public static CaseEvent read(TimelineEntry entry) {
        Class<?> family = CaseEvent.INCIDENT_SERVICE.equals(entry.producedBy()) ? IncidentEvent.class
                : AccountabilityEvent.class;
        try {
            Object event = READER.readValue(entry.event(), family);
            return new CaseEvent(entry.eventId(), entry.producedBy(), entry.sequence(), entry.type(), entry.actor(),
                    entry.occurredAt(), entry.recordedAt(), event, entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("case file entry " + entry.eventId() + " of case " + entry.caseId()
                    + " cannot be read as a " + family.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Entries recorded at or before {@code asOf} (all with null), read and merged. */
    public static List<CaseEvent> merged(List<TimelineEntry> entries, Instant asOf) {
        List<CaseEvent> events = new ArrayList<>();
        for (TimelineEntry entry : entries) {
            if (asOf == null || entry.recordedAt() == null || !entry.recordedAt().isAfter(asOf)) {
                events.add(read(entry));
            }
        }
        return merge(events);
    }

    /**
     * The one order of a case's events: each producer's stream in its own sequence order (a sequence seen twice is
     * kept once), the two streams interleaved by when each event was recorded — on a tie, incident-service first,
     * since accountability reacts to it. Keeping each stream's own order means an event is never folded before the
     * events its producer recorded before it, whatever the clocks say.
     */
    public static List<CaseEvent> merge(List<CaseEvent> events) {
        Map<String, List<CaseEvent>> streams = new LinkedHashMap<>();
        streams.put(CaseEvent.INCIDENT_SERVICE, new ArrayList<>());
        streams.put(CaseEvent.ACCOUNTABILITY_SERVICE, new ArrayList<>());
        for (CaseEvent e : events) {
            streams.computeIfAbsent(e.producedBy(), k -> new ArrayList<>()).add(e);
        }
        List<List<CaseEvent>> ordered = new ArrayList<>();
        for (List<CaseEvent> stream : streams.values()) {
            stream.sort(Comparator.comparingLong(CaseEvent::sequence).thenComparing(CaseEvent::eventId));
            List<CaseEvent> unique = new ArrayList<>();
            for (CaseEvent e : stream) {
                if (unique.isEmpty() || unique.get(unique.size() - 1).sequence() != e.sequence()) {
                    unique.add(e);
                }
            }
            ordered.add(unique);
        }
        List<CaseEvent> out = new ArrayList<>(events.size());
        int[] next = new int[ordered.size()];
        while (true) {
            int pick = -1;
            for (int s = 0; s < ordered.size(); s++) {
                if (next[s] < ordered.get(s).size()) {
                    CaseEvent candidate = ordered.get(s).get(next[s]);
                    if (pick < 0 || earlier(candidate, ordered.get(pick).get(next[pick]))) {
                        pick = s;
                    }
                }
            }
            if (pick < 0) {
                return out;
            }
            out.add(ordered.get(pick).get(next[pick]++));
        }
    }

    private static boolean earlier(CaseEvent a, CaseEvent b) {
        if (a.recordedAt() == null || b.recordedAt() == null) {
            return false;
        }
        return a.recordedAt().isBefore(b.recordedAt());
    }
}
