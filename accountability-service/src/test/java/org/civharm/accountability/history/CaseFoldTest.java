package org.civharm.accountability.history;

import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.Stage;
import org.civharm.accountability.support.AuditDataSet;
import org.civharm.contract.incident.Range;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one fold of a case across both services, and the order it reads the two streams in. */
class CaseFoldTest {

    private static List<CaseEvent> raqqa() {
        return new ArrayList<>(AuditDataSet.caseEvents().get(AuditDataSet.RQ_0628));
    }

    @Test
    void the_raqqa_story_folds_to_an_acknowledgement_with_amends_paid() {
        CaseState s = CaseFold.fold(AuditDataSet.RQ_0628, CaseEvents.merge(raqqa()));
        assertThat(s.incidentStatus()).isEqualTo(IncidentStatus.CREDIBLE);
        assertThat(s.incident.concededKilled).isEqualTo(Range.exactly(8));
        assertThat(s.incident.dismissalReversed).isTrue();
        assertThat(s.incident.documented.killed().total()).isEqualTo(Range.of(9, 12));
        assertThat(s.incident.history).extracting(h -> h.status()).containsExactly(IncidentStatus.UNDER_ASSESSMENT,
                IncidentStatus.NON_CREDIBLE, IncidentStatus.REOPENED, IncidentStatus.CREDIBLE);
        assertThat(s.stage()).isEqualTo(Stage.AMENDS_PAID);
        assertThat(s.events).isEqualTo(11);
    }

    @Test
    void each_stream_keeps_its_own_order_whatever_the_input_order_and_the_streams_interleave_by_recording_time() {
        List<CaseEvent> shuffled = raqqa();
        Collections.reverse(shuffled);
        List<CaseEvent> merged = CaseEvents.merge(shuffled);
        List<Long> incident = merged.stream().filter(e -> e.producedBy().equals(CaseEvent.INCIDENT_SERVICE))
                .map(CaseEvent::sequence).toList();
        assertThat(incident).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        for (int i = 1; i < merged.size(); i++) {
            assertThat(merged.get(i).recordedAt()).isAfterOrEqualTo(merged.get(i - 1).recordedAt());
        }
        // the same event delivered twice is folded once
        List<CaseEvent> twice = raqqa();
        twice.add(twice.get(1));
        assertThat(CaseEvents.merge(twice)).hasSize(raqqa().size());
    }

    @Test
    void as_of_an_instant_only_what_was_recorded_by_then_counts() {
        Instant before = AuditDataSet.BEFORE_ADMISSION;
        List<CaseEvent> onRecord = raqqa().stream().filter(e -> !e.recordedAt().isAfter(before)).toList();
        CaseState s = CaseFold.fold(AuditDataSet.RQ_0628, CaseEvents.merge(new ArrayList<>(onRecord)));
        assertThat(s.incidentStatus()).isEqualTo(IncidentStatus.NON_CREDIBLE);
        assertThat(s.incident.concededKilled).isNull();
        assertThat(s.accountability).isNull();
    }
}
