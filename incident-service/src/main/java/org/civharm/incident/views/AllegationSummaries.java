package org.civharm.incident.views;

import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.AllegationMarkedDuplicateEvent;
import org.civharm.contract.incident.AllegationReopenedEvent;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFiguresRevisedEvent;
import org.civharm.contract.incident.EvidenceAttachedEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.incident.VictimIdentifiedEvent;
import org.civharm.contract.incident.WitnessStatementRecordedEvent;
import org.civharm.incident.api.AllegationStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a case summary follows from its events: a pure fold, used by the Mongo projection, by the step-by-step replay
 * and by "as recorded on date X" — so all three always agree.
 */
public final class AllegationSummaries {

    private AllegationSummaries() {
    }

    /** The summary after the filing event. */
    public static AllegationSummary filed(AllegationFiledEvent e, long sequence) {
        AllegationSummary s = new AllegationSummary();
        s.caseId = e.caseId();
        s.status = AllegationStatus.UNDER_ASSESSMENT;
        s.source = e.source();
        s.reportTitle = e.reportTitle();
        s.reportUrl = e.reportUrl();
        s.filedOn = e.filedOn();
        s.incidentDate = e.incidentDate();
        s.place = e.place();
        s.operation = e.operation();
        s.casualties = e.casualties();
        s.belligerents = new ArrayList<>();
        for (Belligerent b : e.belligerents()) {
            AllegationSummary.BelligerentPosition p = new AllegationSummary.BelligerentPosition();
            p.name = b.name();
            p.involvement = b.involvement();
            s.belligerents.add(p);
        }
        s.weapon = e.weapon();
        s.claimedTarget = e.claimedTarget();
        s.description = e.description();
        s.externalReferences = e.externalReferences() == null ? new ArrayList<>() : new ArrayList<>(e.externalReferences());
        s.filedBy = e.actor();
        s.recordedAt = e.recordedAt();
        s.lastChangedAt = e.recordedAt();
        s.lastSequence = sequence;
        return s;
    }

    /** Applies one later event to a summary in place. */
    public static void apply(AllegationSummary s, IncidentEvent event) {
        if (event instanceof EvidenceAttachedEvent e) {
            AllegationSummary.EvidenceItem item = new AllegationSummary.EvidenceItem();
            item.evidenceId = e.evidenceId();
            item.kind = e.kind();
            item.location = e.location();
            item.sha256 = e.sha256();
            item.description = e.description();
            item.capturedAt = e.capturedAt();
            item.capturedBy = e.capturedBy();
            item.attachedBy = e.actor();
            item.recordedAt = e.recordedAt();
            s.evidence.add(item);
        } else if (event instanceof CasualtyFiguresRevisedEvent e) {
            s.casualties = e.revised();
            s.casualtyRevisions = e.revision();
        } else if (event instanceof AllegationAcknowledgedEvent e) {
            AllegationSummary.Assessment a = assessment("CREDIBLE", e.assessedBy(), e);
            a.concededKilled = e.concededKilled();
            a.concededInjured = e.concededInjured();
            a.statement = e.statement();
            a.comment = e.comment();
            assessed(s, a, AllegationStatus.CREDIBLE);
            s.dismissalReversed = s.dismissalReversed || e.reversesDismissal();
            position(s, e.assessedBy(), p -> {
                p.position = "CREDIBLE";
                p.statedReason = null;
                p.concededKilled = e.concededKilled();
                p.concededInjured = e.concededInjured();
                p.statement = e.statement();
            });
        } else if (event instanceof AllegationDismissedEvent e) {
            AllegationSummary.Assessment a = assessment("NON_CREDIBLE", e.assessedBy(), e);
            a.statedReason = e.statedReason();
            a.statement = e.statement();
            assessed(s, a, AllegationStatus.NON_CREDIBLE);
            position(s, e.assessedBy(), p -> {
                p.position = "NON_CREDIBLE";
                p.statedReason = e.statedReason();
                p.statement = e.statement();
            });
        } else if (event instanceof AllegationMarkedDuplicateEvent e) {
            AllegationSummary.Assessment a = assessment("DUPLICATE", e.assessedBy(), e);
            a.duplicateOfCaseId = e.duplicateOfCaseId();
            a.statedReason = e.reason();
            assessed(s, a, AllegationStatus.DUPLICATE);
            s.duplicateOfCaseId = e.duplicateOfCaseId();
            position(s, e.assessedBy(), p -> {
                p.position = "DUPLICATE";
                p.statedReason = e.reason();
            });
        } else if (event instanceof AllegationReopenedEvent) {
            s.status = AllegationStatus.REOPENED;
            s.duplicateOfCaseId = null;
            s.reopenings++;
        } else if (event instanceof VictimIdentifiedEvent e) {
            AllegationSummary.Victim v = new AllegationSummary.Victim();
            v.victimId = e.victimId();
            v.harm = e.harm();
            v.ageGroup = e.ageGroup();
            v.sex = e.sex();
            v.identity = e.identity();
            v.recordedAt = e.recordedAt();
            s.victims.add(v);
        } else if (event instanceof WitnessStatementRecordedEvent e) {
            AllegationSummary.WitnessStatement w = new AllegationSummary.WitnessStatement();
            w.statementId = e.statementId();
            w.summary = e.summary();
            w.takenOn = e.takenOn();
            w.takenBy = e.takenBy();
            w.witness = e.witness();
            w.recordedAt = e.recordedAt();
            s.witnessStatements.add(w);
        } else if (event instanceof AllegationFiledEvent) {
            throw new IllegalArgumentException("case " + s.caseId + " was filed already");
        }
        s.lastChangedAt = event.recordedAt();
    }

    /** Folds a whole stream (filing first) into the summary it leads to; null for an empty stream. */
    public static AllegationSummary fold(List<? extends IncidentEvent> stream) {
        AllegationSummary s = null;
        long sequence = 0;
        for (IncidentEvent e : stream) {
            if (s == null) {
                s = filed((AllegationFiledEvent) e, sequence);
            } else {
                apply(s, e);
                s.lastSequence = sequence;
            }
            sequence++;
        }
        return s;
    }

    private static AllegationSummary.Assessment assessment(String outcome, String assessedBy, IncidentEvent e) {
        AllegationSummary.Assessment a = new AllegationSummary.Assessment();
        a.outcome = outcome;
        a.assessedBy = assessedBy;
        a.actor = e.actor();
        a.occurredAt = e.occurredAt();
        a.recordedAt = e.recordedAt();
        return a;
    }

    private static void assessed(AllegationSummary s, AllegationSummary.Assessment a, AllegationStatus status) {
        s.latestAssessment = a;
        s.assessments++;
        s.status = status;
    }

    private static void position(AllegationSummary s, String belligerent,
                                 Consumer<AllegationSummary.BelligerentPosition> change) {
        String wanted = belligerent == null ? "" : belligerent.trim();
        s.belligerents.stream().filter(p -> p.name.trim().equalsIgnoreCase(wanted)).findFirst().ifPresent(change);
    }
}
