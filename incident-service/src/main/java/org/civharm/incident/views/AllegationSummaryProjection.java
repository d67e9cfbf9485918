package org.civharm.incident.views;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.ResetHandler;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.AllegationMarkedDuplicateEvent;
import org.civharm.contract.incident.AllegationReopenedEvent;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFiguresRevisedEvent;
import org.civharm.contract.incident.EvidenceAttachedEvent;
import org.civharm.incident.api.AllegationStatus;
import org.civharm.incident.config.AxonMongoConfig;
import org.springframework.stereotype.Component;

import java.util.ArrayList;

/** Maintains {@link AllegationSummary} documents from the event store (tracking, idempotent per case sequence). */
@Component
@ProcessingGroup(AxonMongoConfig.VIEWS)
public class AllegationSummaryProjection {

    private final AllegationSummaryRepository repository;

    public AllegationSummaryProjection(AllegationSummaryRepository repository) {
        this.repository = repository;
    }

    @EventHandler
    void on(AllegationFiledEvent e, @SequenceNumber long seq) {
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
        s.lastSequence = seq;
        repository.insertIfAbsent(s);
    }

    @EventHandler
    void on(EvidenceAttachedEvent e, @SequenceNumber long seq) {
        repository.update(e.caseId(), seq, s -> {
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
            s.lastChangedAt = e.recordedAt();
        });
    }

    @EventHandler
    void on(CasualtyFiguresRevisedEvent e, @SequenceNumber long seq) {
        repository.update(e.caseId(), seq, s -> {
            s.casualties = e.revised();
            s.casualtyRevisions = e.revision();
            s.lastChangedAt = e.recordedAt();
        });
    }

    @EventHandler
    void on(AllegationAcknowledgedEvent e, @SequenceNumber long seq) {
        repository.update(e.caseId(), seq, s -> {
            AllegationSummary.Assessment a = assessment("CREDIBLE", e.assessedBy(), e.actor(), e);
            a.concededKilled = e.concededKilled();
            a.concededInjured = e.concededInjured();
            a.statement = e.statement();
            a.comment = e.comment();
            record(s, a, AllegationStatus.CREDIBLE);
            s.dismissalReversed = s.dismissalReversed || e.reversesDismissal();
            position(s, e.assessedBy(), p -> {
                p.position = "CREDIBLE";
                p.statedReason = null;
                p.concededKilled = e.concededKilled();
                p.concededInjured = e.concededInjured();
                p.statement = e.statement();
            });
        });
    }

    @EventHandler
    void on(AllegationDismissedEvent e, @SequenceNumber long seq) {
        repository.update(e.caseId(), seq, s -> {
            AllegationSummary.Assessment a = assessment("NON_CREDIBLE", e.assessedBy(), e.actor(), e);
            a.statedReason = e.statedReason();
            a.statement = e.statement();
            record(s, a, AllegationStatus.NON_CREDIBLE);
            position(s, e.assessedBy(), p -> {
                p.position = "NON_CREDIBLE";
                p.statedReason = e.statedReason();
                p.statement = e.statement();
            });
        });
    }

    @EventHandler
    void on(AllegationMarkedDuplicateEvent e, @SequenceNumber long seq) {
        repository.update(e.caseId(), seq, s -> {
            AllegationSummary.Assessment a = assessment("DUPLICATE", e.assessedBy(), e.actor(), e);
            a.duplicateOfCaseId = e.duplicateOfCaseId();
            a.statedReason = e.reason();
            record(s, a, AllegationStatus.DUPLICATE);
            s.duplicateOfCaseId = e.duplicateOfCaseId();
            position(s, e.assessedBy(), p -> {
                p.position = "DUPLICATE";
                p.statedReason = e.reason();
            });
        });
    }

    @EventHandler
    void on(AllegationReopenedEvent e, @SequenceNumber long seq) {
        repository.update(e.caseId(), seq, s -> {
            s.status = AllegationStatus.REOPENED;
            s.duplicateOfCaseId = null;
            s.reopenings++;
            s.lastChangedAt = e.recordedAt();
        });
    }

    @ResetHandler
    void onReset() {
        repository.deleteAll();
    }

    private static AllegationSummary.Assessment assessment(String outcome, String assessedBy, String actor,
                                                           org.civharm.contract.incident.IncidentEvent e) {
        AllegationSummary.Assessment a = new AllegationSummary.Assessment();
        a.outcome = outcome;
        a.assessedBy = assessedBy;
        a.actor = actor;
        a.occurredAt = e.occurredAt();
        a.recordedAt = e.recordedAt();
        return a;
    }

    private static void record(AllegationSummary s, AllegationSummary.Assessment a, AllegationStatus status) {
        s.latestAssessment = a;
        s.assessments++;
        s.status = status;
        s.lastChangedAt = a.recordedAt;
    }

    private static void position(AllegationSummary s, String belligerent,
                                 java.util.function.Consumer<AllegationSummary.BelligerentPosition> change) {
        s.belligerents.stream()
                .filter(p -> p.name.trim().equalsIgnoreCase(belligerent == null ? "" : belligerent.trim()))
                .findFirst()
                .ifPresent(change);
    }
}
