package org.civharm.notification.service;

import org.civharm.notification.api.CaseFact;
import org.civharm.notification.domain.DerivedObligation;
import org.civharm.notification.domain.Obligation;
import org.civharm.notification.domain.ObligationRules;
import org.civharm.notification.domain.PolicySet;
import org.civharm.notification.domain.PolicySettings;
import org.civharm.notification.store.FactStore;
import org.civharm.notification.store.ObligationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the stored obligations equal to what the facts and policies derive ({@link ObligationRules}):
 * <ol>
 *   <li>the fact is stored under its event id (a redelivered or replayed record adds nothing);</li>
 *   <li>the case's obligations are derived again from all its stored facts;</li>
 *   <li>each derived obligation is created if new, or its stored state moved forward (met, cancelled, new due date
 *       while pending) — never backward: MET and CANCELLED are final, and an OVERDUE obligation keeps its date;</li>
 *   <li>alerts follow at once ({@link AlertService#settle}): an obligation already past due when its starting event
 *       arrives (a 2017 case, a letter whose response date has passed) is overdue and alerted immediately.</li>
 * </ol>
 * The listener commits the record's offset only after this returns, so a crash in between repeats it, which is
 * harmless.
 */
@Service
public class ObligationService {

    private static final Logger log = LoggerFactory.getLogger(ObligationService.class);
    private static final int MAX_RETRIES = 5;

    private final FactStore facts;
    private final ObligationStore obligations;
    private final AlertService alerts;
    private final PolicyService policies;
    private final TimeSource time;
    private final WriteLock lock;

    public ObligationService(FactStore facts, ObligationStore obligations, AlertService alerts, PolicyService policies,
                             TimeSource time, WriteLock lock) {
        this.facts = facts;
        this.obligations = obligations;
        this.alerts = alerts;
        this.policies = policies;
        this.time = time;
        this.lock = lock;
    }

    /** What re-evaluating did. */
    public record Reconciliation(int cases, int created, int changed) {
        Reconciliation plus(Reconciliation other) {
            return new Reconciliation(cases + other.cases, created + other.created, changed + other.changed);
        }
    }

    /**
     * Takes in one event of another service.
     *
     * @param source where the fact was read (topic/partition@offset), kept with it
     */
    public Reconciliation ingest(CaseFact fact, String source) {
        return lock.forCase(fact.caseId(), () -> {
            facts.insertIfAbsent(fact, source, time.now());
            return reconcile(fact.caseId());
        });
    }

    /** Derives one case's obligations again and writes what changed. */
    public Reconciliation reconcile(String caseId) {
        return lock.forCase(caseId, () -> {
            Instant now = time.now();
            PolicySet policySet = policies.current();
            List<DerivedObligation> derived = ObligationRules.derive(facts.findByCase(caseId), policySet);
            Map<String, Obligation> stored = new HashMap<>();
            obligations.findByCase(caseId).forEach(o -> stored.put(o.id(), o));
            Set<String> derivedIds = new HashSet<>();
            int created = 0;
            int changed = 0;
            AlertService.Counter counter = new AlertService.Counter();
            for (DerivedObligation d : derived) {
                derivedIds.add(d.id());
                Obligation current = stored.get(d.id());
                if (current == null) {
                    Obligation fresh = Obligation.create(d, now);
                    if (fresh.isOverdueAt(now)) {
                        // past due on arrival (a 2017 case): alert first, then the obligation stored overdue with it
                        alerts.raiseAlert(fresh.markOverdue(now), now, counter);
                        fresh = fresh.markOverdueWithAlertRaised(now);
                    }
                    if (obligations.insertIfAbsent(fresh)) {
                        created++;
                        alerts.settle(fresh, now, counter);
                        continue;
                    }
                    current = obligations.find(d.id()).orElseThrow();
                }
                Optional<Obligation> next = apply(current, d, now);
                if (next.isPresent() && next.get() != current) {
                    changed++;
                }
                alerts.settle(next.orElse(current), now, counter);
            }
            for (Obligation o : stored.values()) {
                if (!derivedIds.contains(o.id())) {
                    Optional<Obligation> next = apply(o, null, now);
                    if (next.isPresent() && next.get() != o) {
                        changed++;
                    }
                    alerts.settle(next.orElse(o), now, counter);
                }
            }
            return new Reconciliation(1, created, changed);
        });
    }

    /** Re-derives every known case, e.g. after a policy change (new due dates, disabled or enabled policies). */
    public Reconciliation reconcileAll() {
        return lock.call(() -> {
            Reconciliation total = new Reconciliation(0, 0, 0);
            for (String caseId : facts.caseIds()) {
                total = total.plus(reconcile(caseId));
            }
            return total;
        });
    }

    /** Result of a policy change: the change itself and what re-evaluating the obligations did. */
    public record PolicyChangeResult(PolicySet.Change change, Reconciliation reconciliation) {
    }

    /**
     * Validates and stores a policy change, then re-evaluates every case's obligations with it; a refused change
     * stores and re-evaluates nothing.
     */
    public PolicyChangeResult changePolicies(Map<String, PolicySettings> edits, String actor) {
        return lock.call(() -> {
            PolicySet.Change change = policies.change(edits, actor);
            if (!change.accepted()) {
                return new PolicyChangeResult(change, null);
            }
            Reconciliation reconciliation = reconcileAll();
            log.info("policy change by {} re-evaluated {}", actor, reconciliation);
            return new PolicyChangeResult(change, reconciliation);
        });
    }

    /** Moves a stored obligation to what is derived now (re-reading on a concurrent change). */
    private Optional<Obligation> apply(Obligation read, DerivedObligation derived, Instant now) {
        Obligation current = read;
        for (int i = 0; i < MAX_RETRIES; i++) {
            Optional<Obligation> next = current.reconcile(derived, now);
            if (next.isEmpty()) {
                return Optional.of(current);
            }
            if (obligations.replace(next.get())) {
                return next;
            }
            current = obligations.find(read.id()).orElseThrow();
        }
        throw new ConcurrentChangeException("obligation " + read.id() + " kept changing; try again");
    }
}
