package org.civharm.accountability.history;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.Stage;
import org.civharm.accountability.views.TimelineEntry;
import org.civharm.accountability.views.TimelineRepository;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A case's history — and the whole register's — folded from the case file (the {@code timeline} collection: every
 * event of both topics, as published), never from a view that could drift from it. "On record at T" means every
 * event whose {@code recordedAt} is at or before T.
 */
@Component
public class CaseHistory {

    private final TimelineRepository timeline;
    private final ObjectMapper mapper;

    public CaseHistory(TimelineRepository timeline, ObjectMapper mapper) {
        this.timeline = timeline;
        this.mapper = mapper;
    }

    /** The case's entries recorded up to {@code asOf} (all with null), in the asked order, and the state they fold to. */
    public AsOf asOf(String caseId, Instant asOf, boolean byRecorded) {
        return asOf(caseId, asOf, byRecorded, false);
    }

    /**
     * As {@link #asOf(String, Instant, boolean)}; with {@code byOccurrence}, the entries that happened in the world
     * at or before {@code asOf} (their occurredAt) instead of those recorded by then — where a case stood then, for
     * cases entered long after the facts.
     */
    public AsOf asOf(String caseId, Instant asOf, boolean byRecorded, boolean byOccurrence) {
        List<TimelineEntry> entries = new ArrayList<>();
        for (TimelineEntry e : timeline.findByCase(caseId, byRecorded)) {
            Instant at = byOccurrence ? e.occurredAt() : e.recordedAt();
            if (asOf == null || at == null || !at.isAfter(asOf)) {
                entries.add(e);
            }
        }
        return new AsOf(entries, CaseFold.fold(caseId, CaseEvents.merged(entries, null)));
    }

    /** After each event of the merged timeline: the event and the whole resulting state. Empty for an unknown case. */
    public List<ReplayStep> replay(String caseId) {
        List<CaseEvent> events = CaseEvents.merged(timeline.findByCase(caseId, true), null);
        CaseState state = new CaseState();
        state.caseId = caseId;
        List<ReplayStep> steps = new ArrayList<>();
        int index = 0;
        for (CaseEvent e : events) {
            IncidentStatus statusBefore = state.incidentStatus();
            Stage stageBefore = state.stage();
            CaseFold.apply(state, e);
            List<String> changes = new ArrayList<>();
            if (statusBefore != state.incidentStatus()) {
                changes.add("incident status " + statusBefore + " -> " + state.incidentStatus());
            }
            if (!Objects.equals(stageBefore, state.stage())) {
                changes.add("accountability stage " + (stageBefore == null ? "none" : stageBefore) + " -> " + state.stage());
            }
            TimelineEntry entry = e.entry();
            steps.add(new ReplayStep(index++, e.producedBy(), e.sequence(), e.eventId(), e.type(), e.actor(),
                    e.occurredAt(), e.recordedAt(), entry == null ? null : entry.hash(), changes,
                    state.incidentStatus(), state.stage(), entry == null ? null : entry.event(),
                    mapper.valueToTree(state)));
        }
        return steps;
    }

    /** Folds every case of the register as recorded at {@code asOf} (now with null), one at a time. */
    public void forEachCase(Instant asOf, Consumer<CaseState> perCase) {
        forEachCase(asOf, false, perCase);
    }

    /**
     * As {@link #forEachCase(Instant, Consumer)}; with {@code byOccurrence}, each case folded from the events that had
     * happened in the world by {@code asOf} (their occurredAt, whenever recorded); a case none of whose events had
     * happened by then is left out. The whole log is read, since what is recorded later may have occurred earlier.
     */
    public void forEachCase(Instant asOf, boolean byOccurrence, Consumer<CaseState> perCase) {
        if (!byOccurrence || asOf == null) {
            timeline.forEachCase(asOf, entries -> {
                String caseId = entries.get(0).caseId();
                perCase.accept(CaseFold.fold(caseId, CaseEvents.merged(entries, asOf)));
            });
            return;
        }
        timeline.forEachCase(null, entries -> {
            List<TimelineEntry> happened = new ArrayList<>();
            for (TimelineEntry e : entries) {
                if (e.occurredAt() == null || !e.occurredAt().isAfter(asOf)) {
                    happened.add(e);
                }
            }
            if (!happened.isEmpty()) {
                perCase.accept(CaseFold.fold(happened.get(0).caseId(), CaseEvents.merged(happened, null)));
            }
        });
    }

    /** A case file as of an instant. */
    public record AsOf(List<TimelineEntry> entries, CaseState state) {
    }

    /**
     * One step of a replay.
     *
     * @param index          position in the merged timeline
     * @param producedBy     the service whose stream holds the event
     * @param sequence       its position in that stream
     * @param hash           its chain hash as published
     * @param changes        what the step changed in the case's status or accountability stage, in words
     * @param incidentStatus the status at intake and assessment after the step
     * @param stage          the accountability stage after the step (null before the record opened)
     * @param event          the event as published
     * @param stateAfter     the whole case after the step
     */
    public record ReplayStep(int index, String producedBy, long sequence, String eventId, String type, String actor,
                             Instant occurredAt, Instant recordedAt, String hash, List<String> changes,
                             IncidentStatus incidentStatus, Stage stage, @JsonRawValue String event,
                             JsonNode stateAfter) {
    }
}
