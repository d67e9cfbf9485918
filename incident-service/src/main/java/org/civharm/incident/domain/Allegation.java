package org.civharm.incident.domain;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationDismissedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.AllegationMarkedDuplicateEvent;
import org.civharm.contract.incident.AllegationReopenedEvent;
import org.civharm.contract.incident.Belligerent;
import org.civharm.contract.incident.CasualtyFigures;
import org.civharm.contract.incident.CasualtyFiguresRevisedEvent;
import org.civharm.contract.incident.EvidenceAttachedEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.incident.VictimIdentifiedEvent;
import org.civharm.contract.incident.WitnessStatementRecordedEvent;
import org.civharm.incident.api.RecordVictimCommand;
import org.civharm.incident.api.RecordWitnessStatementCommand;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.api.AcknowledgeAllegationCommand;
import org.civharm.incident.api.AllegationStatus;
import org.civharm.incident.api.AttachEvidenceCommand;
import org.civharm.incident.api.DismissAllegationCommand;
import org.civharm.incident.api.FileAllegationCommand;
import org.civharm.incident.api.MarkDuplicateCommand;
import org.civharm.incident.api.ReopenAllegationCommand;
import org.civharm.incident.api.ReviseCasualtyFiguresCommand;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One civilian-harm allegation through intake and assessment, rebuilt from its event stream.
 * <p>
 * Assessment follows the Coalition's own practice: a case is assessed credible, not credible or duplicate; a
 * dismissed or duplicate case can be reopened only on evidence attached after that assessment, and a later
 * acknowledgement reverses the dismissal (both stay in the stream). An acknowledged case is not re-assessed here:
 * what follows an acknowledgement belongs to the accountability context.
 * <p>
 * The {@link Clock} parameter of each handler is injected by Axon, so tests control recorded-at times.
 */
@Aggregate(snapshotTriggerDefinition = "allegationSnapshotTrigger", cache = "allegationCache")
public class Allegation {

    @AggregateIdentifier
    private String caseId;
    private AllegationStatus status;
    private CasualtyFigures casualties;
    private int revisions;
    private boolean everDismissed;
    private final Set<String> belligerentNames = new HashSet<>();
    /** evidence id -> SHA-256, in attachment order. */
    private final LinkedHashMap<String, String> evidenceHashes = new LinkedHashMap<>();
    /** Evidence attached since the last assessment: only these can justify a reopening. */
    private final LinkedHashSet<String> evidenceSinceLastAssessment = new LinkedHashSet<>();
    private int victims;
    private int statements;
    /** Hash of the last event of this stream (null before the first): the link for the next event. */
    private String lastHash;
    /** Sequence number the next event of this stream gets. */
    private long nextSequence;

    protected Allegation() {
        // required by Axon to rebuild from events
    }

    @CommandHandler
    public Allegation(FileAllegationCommand cmd, Clock clock) {
        record(new AllegationFiledEvent(cmd.caseId(), cmd.source(), cmd.reportTitle(), cmd.reportUrl(), cmd.filedOn(),
                cmd.incidentDate(), cmd.place(), cmd.operation(), cmd.casualties(), List.copyOf(cmd.belligerents()),
                cmd.weapon(), cmd.claimedTarget(), cmd.description(),
                cmd.externalReferences() == null ? List.of() : List.copyOf(cmd.externalReferences()),
                cmd.actor(), cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public String handle(AttachEvidenceCommand cmd, Clock clock) {
        evidenceHashes.forEach((id, hash) -> {
            if (hash.equalsIgnoreCase(cmd.sha256())) {
                throw new RefusedTransitionException(
                        "evidence with SHA-256 " + cmd.sha256() + " is already attached to case " + caseId + " as " + id);
            }
        });
        String evidenceId = "E-" + (evidenceHashes.size() + 1);
        record(new EvidenceAttachedEvent(caseId, evidenceId, cmd.kind(), cmd.location(), cmd.sha256().toLowerCase(),
                cmd.description(), cmd.capturedAt(), cmd.capturedBy(), cmd.actor(), cmd.occurredAt(), clock.instant()));
        return evidenceId;
    }

    @CommandHandler
    public int handle(ReviseCasualtyFiguresCommand cmd, Clock clock) {
        if (casualties.equals(cmd.revised())) {
            throw new RefusedTransitionException(
                    "the revised figures are the same as the current figures of case " + caseId + "; nothing to revise");
        }
        int revision = revisions + 1;
        record(new CasualtyFiguresRevisedEvent(caseId, revision, casualties, cmd.revised(), cmd.reason(), cmd.actor(),
                cmd.occurredAt(), clock.instant()));
        return revision;
    }

    @CommandHandler
    public String handle(RecordVictimCommand cmd, Clock clock) {
        String victimId = "V-" + (victims + 1);
        record(new VictimIdentifiedEvent(caseId, victimId, cmd.harm(), cmd.ageGroup(), cmd.sex(), cmd.identity(),
                cmd.actor(), cmd.occurredAt(), clock.instant()));
        return victimId;
    }

    @CommandHandler
    public String handle(RecordWitnessStatementCommand cmd, Clock clock) {
        String statementId = "W-" + (statements + 1);
        record(new WitnessStatementRecordedEvent(caseId, statementId, cmd.summary(), cmd.takenOn(), cmd.takenBy(),
                cmd.witness(), cmd.actor(), cmd.occurredAt(), clock.instant()));
        return statementId;
    }

    @CommandHandler
    public void handle(AcknowledgeAllegationCommand cmd, Clock clock) {
        requireAwaitingAssessment("acknowledge");
        requireNamedBelligerent(cmd.assessedBy());
        record(new AllegationAcknowledgedEvent(caseId, cmd.assessedBy(), cmd.concededKilled(), cmd.concededInjured(),
                cmd.statement(), everDismissed, cmd.comment(), cmd.actor(), cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public void handle(DismissAllegationCommand cmd, Clock clock) {
        requireAwaitingAssessment("dismiss");
        requireNamedBelligerent(cmd.assessedBy());
        record(new AllegationDismissedEvent(caseId, cmd.assessedBy(), cmd.statedReason(), cmd.statement(), cmd.actor(),
                cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public void handle(MarkDuplicateCommand cmd, Clock clock) {
        if (caseId.equals(cmd.duplicateOfCaseId())) {
            throw new RefusedTransitionException("case " + caseId + " cannot be a duplicate of itself");
        }
        requireAwaitingAssessment("mark as duplicate");
        record(new AllegationMarkedDuplicateEvent(caseId, cmd.duplicateOfCaseId(), cmd.assessedBy(), cmd.reason(),
                cmd.actor(), cmd.occurredAt(), clock.instant()));
    }

    @CommandHandler
    public void handle(ReopenAllegationCommand cmd, Clock clock) {
        if (status != AllegationStatus.NON_CREDIBLE && status != AllegationStatus.DUPLICATE) {
            throw new RefusedTransitionException("case " + caseId + " is " + status
                    + "; only a dismissed (non-credible) or duplicate case can be reopened");
        }
        if (cmd.newEvidenceIds() == null || cmd.newEvidenceIds().isEmpty()) {
            throw new RefusedTransitionException("a reopening of case " + caseId
                    + " must cite the new evidence it rests on (new since the last assessment: "
                    + evidenceSinceLastAssessment + ")");
        }
        List<String> notNew = new ArrayList<>();
        for (String id : cmd.newEvidenceIds()) {
            if (!evidenceSinceLastAssessment.contains(id)) {
                notNew.add(id);
            }
        }
        if (!notNew.isEmpty()) {
            throw new RefusedTransitionException("evidence " + notNew + " of case " + caseId
                    + " was not attached after the last assessment; a reopening needs new evidence (new since then: "
                    + evidenceSinceLastAssessment + ")");
        }
        record(new AllegationReopenedEvent(caseId, List.copyOf(cmd.newEvidenceIds()), cmd.reason(), cmd.actor(),
                cmd.occurredAt(), clock.instant()));
    }

    /**
     * Applies an event linked into the case's hash chain: its hash (over its stored JSON, its sequence and the
     * previous hash) and the previous hash travel in the event's metadata, see {@link EventHashes}.
     */
    private void record(IncidentEvent event) {
        String previous = lastHash == null ? EventHashes.GENESIS : lastHash;
        String hash = EventHashes.hash(event.caseId(), nextSequence, IncidentEvent.typeName(event.getClass()), previous,
                EventJson.tree(event));
        apply(event, MetaData.with(EventHashes.HASH, hash).and(EventHashes.PREVIOUS_HASH, previous));
    }

    /** Every sourcing handler calls this first: the stream position and chain link advance with each event. */
    private void link(MetaData metaData) {
        lastHash = (String) metaData.get(EventHashes.HASH);
        nextSequence++;
    }

    private void requireAwaitingAssessment(String action) {
        if (!status.awaitsAssessment()) {
            String hint = switch (status) {
                case NON_CREDIBLE, DUPLICATE -> "; reopen it on new evidence first";
                case CREDIBLE -> "; an acknowledged case is followed up in accountability";
                default -> "";
            };
            throw new RefusedTransitionException(
                    "cannot " + action + " case " + caseId + ": it is already assessed " + status + hint);
        }
    }

    private void requireNamedBelligerent(String assessedBy) {
        if (!belligerentNames.contains(normalise(assessedBy))) {
            throw new RefusedTransitionException("'" + assessedBy + "' is not named as a belligerent on case " + caseId
                    + "; named: " + belligerentNames);
        }
    }

    private static String normalise(String name) {
        return name == null ? "" : name.trim().toLowerCase();
    }

    @EventSourcingHandler
    void on(AllegationFiledEvent e, MetaData metaData) {
        link(metaData);
        caseId = e.caseId();
        status = AllegationStatus.UNDER_ASSESSMENT;
        casualties = e.casualties();
        for (Belligerent b : e.belligerents()) {
            belligerentNames.add(normalise(b.name()));
        }
    }

    @EventSourcingHandler
    void on(EvidenceAttachedEvent e, MetaData metaData) {
        link(metaData);
        evidenceHashes.put(e.evidenceId(), e.sha256());
        evidenceSinceLastAssessment.add(e.evidenceId());
    }

    @EventSourcingHandler
    void on(CasualtyFiguresRevisedEvent e, MetaData metaData) {
        link(metaData);
        casualties = e.revised();
        revisions = e.revision();
    }

    @EventSourcingHandler
    void on(AllegationAcknowledgedEvent e, MetaData metaData) {
        link(metaData);
        status = AllegationStatus.CREDIBLE;
        evidenceSinceLastAssessment.clear();
    }

    @EventSourcingHandler
    void on(AllegationDismissedEvent e, MetaData metaData) {
        link(metaData);
        status = AllegationStatus.NON_CREDIBLE;
        everDismissed = true;
        evidenceSinceLastAssessment.clear();
    }

    @EventSourcingHandler
    void on(AllegationMarkedDuplicateEvent e, MetaData metaData) {
        link(metaData);
        status = AllegationStatus.DUPLICATE;
        evidenceSinceLastAssessment.clear();
    }

    @EventSourcingHandler
    void on(VictimIdentifiedEvent e, MetaData metaData) {
        link(metaData);
        victims++;
    }

    @EventSourcingHandler
    void on(WitnessStatementRecordedEvent e, MetaData metaData) {
        link(metaData);
        statements++;
    }

    @EventSourcingHandler
    void on(AllegationReopenedEvent e, MetaData metaData) {
        link(metaData);
        status = AllegationStatus.REOPENED;
    }
}
