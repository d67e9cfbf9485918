package org.civharm.incident.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.messaging.MetaData;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.EvidenceAttachedEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.api.AcknowledgeAllegationCommand;
import org.civharm.incident.api.AttachEvidenceCommand;
import org.civharm.incident.api.FileAllegationCommand;
import org.civharm.incident.domain.Allegation;
import org.civharm.incident.domain.EventJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark only (issue 7): grows the register to a size that commands cannot reach in the hours a benchmark has
 * (100 k cases of 10 events is 1 M commands, over four hours at this machine's 50–60 commands/s). Active only when
 * {@code civharm.bench.register-seed.report} names a file; {@code infra/bench.sh --seed} starts an extra
 * incident-service instance with it.
 * <p>
 * Each case is the stream the benchmark's commands would leave — filed, {@code events-per-case - 2} evidence items,
 * acknowledged — built from the same commands as the aggregate's handlers build them, linked into the case's hash
 * chain, and appended through the service's own event store in batches of whole cases: real global positions, then
 * published to Kafka by the publisher and projected downstream like any other events. What it skips is the command
 * path (one aggregate load and one append per event), which the benchmark measures elsewhere.
 * {@code RegisterSeedStreamTest} holds the streams equal to what the aggregate records for the same commands;
 * {@code RegisterSeedTest} shows seeded cases stored, verified, loaded, projected and published.
 */
@Component
@ConditionalOnProperty(prefix = "civharm.bench.register-seed", name = "report")
class RegisterSeed {

    private static final Logger log = LoggerFactory.getLogger(RegisterSeed.class);
    static final String ACTOR = "bench.seed";
    /** The aggregate type Axon's repository stores {@link Allegation} events under. */
    static final String AGGREGATE_TYPE = Allegation.class.getSimpleName();
    private static final String TRACE_ID = "traceId";
    private static final String CORRELATION_ID = "correlationId";

    private final EventStore eventStore;
    private final ObjectMapper json;
    private final Clock clock;
    private final Path report;
    private final String casePrefix;
    private final int cases;
    private final int eventsPerCase;
    private final int batchEvents;

    RegisterSeed(EventStore eventStore, ObjectMapper json, Clock clock,
                 @Value("${civharm.bench.register-seed.report}") Path report,
                 @Value("${civharm.bench.register-seed.case-prefix}") String casePrefix,
                 @Value("${civharm.bench.register-seed.cases}") int cases,
                 @Value("${civharm.bench.register-seed.events-per-case:2}") int eventsPerCase,
                 @Value("${civharm.bench.register-seed.batch-events:2000}") int batchEvents) {
        if (cases < 1 || eventsPerCase < 2 || batchEvents < 1) {
            throw new IllegalArgumentException("civharm.bench.register-seed: cases and batch-events must be at least 1,"
                    + " events-per-case at least 2 (filed and acknowledged), not " + cases + ", " + batchEvents + ", "
                    + eventsPerCase);
        }
        this.eventStore = eventStore;
        this.json = json;
        this.clock = clock;
        this.report = report;
        this.casePrefix = casePrefix;
        this.cases = cases;
        this.eventsPerCase = eventsPerCase;
        this.batchEvents = batchEvents;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        Thread t = new Thread(this::seedAndReport, "bench-register-seed");
        t.setDaemon(true);
        t.start();
    }

    private void seedAndReport() {
        Map<String, Object> figures = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        long events = 0;
        int seeded = 0;
        try {
            log.info("register seed: {} cases of {} events, cases {}-1..{}", cases, eventsPerCase, casePrefix, cases);
            List<EventMessage<?>> batch = new ArrayList<>(batchEvents + eventsPerCase);
            int inBatch = 0;
            for (int n = 1; n <= cases; n++) {
                batch.addAll(caseStream(casePrefix + "-" + n, eventsPerCase, clock.instant()));
                inBatch++;
                if (batch.size() >= batchEvents || n == cases) {
                    // outside a unit of work the store appends at once: one insertMany per batch
                    eventStore.publish(batch);
                    events += batch.size();
                    seeded += inBatch;
                    batch.clear();
                    inBatch = 0;
                }
            }
        } catch (Throwable e) { // an Error too: without a report the harness would wait for one until its deadline
            log.error("register seed failed after {} cases", seeded, e);
            figures.put("failure", e.toString());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        figures.put("cases", seeded);
        figures.put("eventsPerCase", eventsPerCase);
        figures.put("events", events);
        figures.put("seconds", seconds);
        figures.put("eventsPerSecond", events / seconds);
        figures.put("casePrefix", casePrefix + "-");
        try {
            Path tmp = report.resolveSibling(report.getFileName() + ".tmp");
            Files.writeString(tmp, json.writeValueAsString(figures));
            Files.move(tmp, report, StandardCopyOption.ATOMIC_MOVE);
            log.info("register seed: {}", figures);
        } catch (Exception e) {
            log.error("register seed could not write its report", e);
        }
    }

    /**
     * One case's stream as the aggregate records it for {@link BenchCases}' commands: the same events, sequence
     * numbers and hash chain (see {@code Allegation#record}). Each event also carries a trace and correlation id, as
     * events recorded for a command carry its message id (Axon's {@code MessageOriginProvider}), so a seeded event
     * is stored at the size of a real one.
     */
    static List<DomainEventMessage<IncidentEvent>> caseStream(String caseId, int eventsPerCase, Instant now) {
        List<IncidentEvent> events = new ArrayList<>(eventsPerCase);
        FileAllegationCommand f = BenchCases.file(caseId, ACTOR, now);
        events.add(new AllegationFiledEvent(f.caseId(), f.source(), f.reportTitle(), f.reportUrl(), f.filedOn(),
                f.incidentDate(), f.place(), f.operation(), f.casualties(), List.copyOf(f.belligerents()), f.weapon(),
                f.claimedTarget(), f.description(), List.copyOf(f.externalReferences()), f.actor(), f.occurredAt(), now));
        for (int n = 1; n <= eventsPerCase - 2; n++) {
            AttachEvidenceCommand e = BenchCases.evidence(caseId, n, ACTOR, now);
            events.add(new EvidenceAttachedEvent(caseId, "E-" + n, e.kind(), e.location(), e.sha256().toLowerCase(),
                    e.description(), e.capturedAt(), e.capturedBy(), e.actor(), e.occurredAt(), now));
        }
        AcknowledgeAllegationCommand a = BenchCases.acknowledge(caseId, ACTOR, now);
        events.add(new AllegationAcknowledgedEvent(caseId, a.assessedBy(), a.concededKilled(), a.concededInjured(),
                a.statement(), false, a.comment(), a.actor(), a.occurredAt(), now));

        List<DomainEventMessage<IncidentEvent>> stream = new ArrayList<>(events.size());
        String previous = EventHashes.GENESIS;
        for (IncidentEvent event : events) {
            long sequence = stream.size();
            String hash = EventHashes.hash(caseId, sequence, IncidentEvent.typeName(event.getClass()), previous,
                    EventJson.tree(event));
            String commandId = IdentifierFactory.getInstance().generateIdentifier();
            stream.add(new GenericDomainEventMessage<>(AGGREGATE_TYPE, caseId, sequence, event,
                    MetaData.with(EventHashes.HASH, hash).and(EventHashes.PREVIOUS_HASH, previous)
                            .and(TRACE_ID, commandId).and(CORRELATION_ID, commandId)));
            previous = hash;
        }
        return stream;
    }
}
