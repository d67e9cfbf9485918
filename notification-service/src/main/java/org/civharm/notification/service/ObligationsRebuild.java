package org.civharm.notification.service;

import org.bson.Document;
import org.civharm.notification.domain.DerivedObligation;
import org.civharm.notification.domain.Obligation;
import org.civharm.notification.domain.ObligationRules;
import org.civharm.notification.domain.PolicySet;
import org.civharm.notification.store.FactStore;
import org.civharm.notification.store.ObligationStore;
import org.civharm.notification.store.ViewChanges;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rebuilds the {@code obligations} view from its source: the case facts ({@code case_facts}, itself rebuilt from the
 * topics by {@code case-facts}) and the policies in force, through {@link Obligation#rebuilt}: every case is derived
 * again with {@link ObligationRules}, and what no log holds is carried over from the obligation being replaced (the
 * service's timestamps, a missed deadline's date, closures already notified, cancellations by a policy since
 * disabled, whether the alert was written).
 * <p>
 * What is <b>not</b> a projection and is never touched by a rebuild:
 * <ul>
 *   <li>{@code alerts}: acknowledgements (who, when, with which comment) are caseworkers' decisions, escalations
 *       and {@code raisedAt} come from the clock at the time, and each transition was notified. None of that is in
 *       the topics. The alert keeps the obligation's id, so a rebuilt obligation finds its alert again;</li>
 *   <li>{@code deliveries} (the outbox): side effects already made. A rebuild writes no alert and queues nothing, so
 *       nothing is sent again; the next evaluation settles alerts against the rebuilt obligations (an obligation the
 *       old view lacked and that is overdue is alerted then, once: alert and delivery ids are stable);</li>
 *   <li>{@code policies} (an administrator's settings) and {@code parked_records} (dead letters: operators'
 *       decisions).</li>
 * </ul>
 * Readers keep the old collection until the switch. Catching up runs beside the live writers; the cases they touch
 * meanwhile are derived again in the last pass, which holds this instance's write lock (the listener, scheduler
 * and API writes wait; readers do not). With several instances, stop the others' listeners or accept that a case
 * they change during the switch is brought in line by its next event or policy change.
 */
@Component
public class ObligationsRebuild extends ProjectionRebuild {

    public static final String NAME = "obligations";

    private final FactStore facts;
    private final ObligationStore obligations;
    private final PolicyService policies;
    private final ViewChanges changes;
    private final SourcePosition.Source source;
    private final TimeSource time;
    private final WriteLock lock;

    public ObligationsRebuild(FactStore facts, ObligationStore obligations, PolicyService policies, ViewChanges changes,
                              SourcePosition.Source source, TimeSource time, WriteLock lock, Clock clock) {
        super(clock);
        this.facts = facts;
        this.obligations = obligations;
        this.policies = policies;
        this.changes = changes;
        this.source = source;
        this.time = time;
        this.lock = lock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProjectionStatus describe() {
        String live = obligations.currentCollection();
        SourcePosition p = source.read();
        return new ProjectionStatus(NAME, "case facts (" + facts.currentCollection() + ") and the policies in force; "
                + "written by the same listener step as the facts", live, p.position(), p.sourceEvents(), p.lag(),
                progress(), replaced());
    }

    @Override
    protected String baseCollection() {
        return ObligationStore.COLLECTION;
    }

    @Override
    protected String rebuildInto(String target) {
        obligations.prepareEmpty(target);
        changes.startRecording();
        try {
            PolicySet policySet = policies.refresh();
            Set<String> cases = new TreeSet<>(facts.caseIds());
            cases.addAll(obligations.caseIds());
            long done = 0;
            report(0, cases.size(), 0, "CATCHING_UP");
            for (String caseId : cases) {
                rebuildCase(target, caseId, policySet);
                report(++done, cases.size(), 0, "CATCHING_UP");
            }
            long caught = done;
            report(caught, cases.size(), 0, "DRAINING"); // waiting for the write lock first
            return lock.call(() -> {
                Set<String> touched = changes.stopRecording();
                report(caught, caught + touched.size(), 0, "DRAINING");
                long drained = caught;
                PolicySet now = policies.refresh();
                for (String caseId : touched) {
                    rebuildCase(target, caseId, now);
                    report(++drained, caught + touched.size(), 0, "DRAINING");
                }
                return obligations.switchTo(target);
            });
        } finally {
            changes.stopRecording();
        }
    }

    private void rebuildCase(String target, String caseId, PolicySet policySet) {
        List<DerivedObligation> derived = ObligationRules.derive(facts.findByCase(caseId), policySet);
        Map<String, Obligation> replaced = new LinkedHashMap<>();
        obligations.findByCase(caseId).forEach(o -> replaced.put(o.id(), o));
        for (DerivedObligation d : derived) {
            obligations.rebuildInto(target, Obligation.rebuilt(d, replaced.remove(d.id()), time.now()));
        }
        for (Obligation left : replaced.values()) {
            obligations.rebuildInto(target, Obligation.rebuilt(null, left, time.now()));
        }
    }

    @Override
    protected void drop(String collection) {
        obligations.drop(collection);
    }

    @Override
    public List<Document> contents(String collection) {
        return obligations.contents(collection);
    }
}
