package org.civharm.incident.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark only (issue 7): the command throughput of the command gateway, without HTTP, JSON or security. Active only
 * when {@code civharm.bench.gateway-load.report} names a file; {@code infra/bench.sh} starts an extra incident-service
 * instance with it against the same Kafka and MongoDB. N closed-loop clients file a case and acknowledge it, again and
 * again (the same two commands as the HTTP phase, through {@link CommandGateway#sendAndWait}); after an unmeasured
 * warm-up, commands for a fixed time are counted and timed, and the figures are written to the report file as JSON.
 * The events are real: stored, published to Kafka and projected like any other.
 */
@Component
@ConditionalOnProperty(prefix = "civharm.bench.gateway-load", name = "report")
class GatewayLoad {

    private static final Logger log = LoggerFactory.getLogger(GatewayLoad.class);
    private static final String ACTOR = "bench.gateway";

    private final CommandGateway commands;
    private final ObjectMapper json;
    private final Clock clock;
    private final Path report;
    private final String casePrefix;
    private final int clients;
    private final long warmUpMillis;
    private final long measureMillis;

    GatewayLoad(CommandGateway commands, ObjectMapper json, Clock clock,
                @Value("${civharm.bench.gateway-load.report}") Path report,
                @Value("${civharm.bench.gateway-load.case-prefix:GW}") String casePrefix,
                @Value("${civharm.bench.gateway-load.clients:8}") int clients,
                @Value("${civharm.bench.gateway-load.warm-up-seconds:15}") int warmUpSeconds,
                @Value("${civharm.bench.gateway-load.seconds:30}") int seconds) {
        this.commands = commands;
        this.json = json;
        this.clock = clock;
        this.report = report;
        this.casePrefix = casePrefix;
        this.clients = Math.max(1, clients);
        this.warmUpMillis = warmUpSeconds * 1000L;
        this.measureMillis = Math.max(1, seconds) * 1000L;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        Thread t = new Thread(this::runAndReport, "bench-gateway-load");
        t.setDaemon(true);
        t.start();
    }

    private void runAndReport() {
        try {
            log.info("gateway load: {} clients, {} s warm-up, {} s measured, cases {}-*", clients,
                    warmUpMillis / 1000, measureMillis / 1000, casePrefix);
            run(warmUpMillis, false);
            Map<String, Object> figures = run(measureMillis, true);
            Path tmp = report.resolveSibling(report.getFileName() + ".tmp");
            Files.writeString(tmp, json.writeValueAsString(figures));
            Files.move(tmp, report, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.info("gateway load: {}", figures);
        } catch (Exception e) {
            log.error("gateway load failed", e);
        }
    }

    private Map<String, Object> run(long millis, boolean measured) throws InterruptedException {
        AtomicInteger sequence = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        List<long[]> latencies = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(clients);
        String phase = measured ? "M" : "W";
        long t0 = System.nanoTime();
        long end = t0 + millis * 1_000_000L;
        for (int c = 0; c < clients; c++) {
            long[] own = new long[1 << 18];
            int[] count = {0};
            Thread client = new Thread(() -> {
                try {
                    while (System.nanoTime() < end && count[0] < own.length - 2) {
                        String caseId = casePrefix + "-" + phase + "-" + sequence.incrementAndGet();
                        try {
                            long a = System.nanoTime();
                            commands.sendAndWait(BenchCases.file(caseId, ACTOR, clock.instant()));
                            long b = System.nanoTime();
                            commands.sendAndWait(BenchCases.acknowledge(caseId, ACTOR, clock.instant()));
                            long e = System.nanoTime();
                            own[count[0]++] = b - a;
                            own[count[0]++] = e - b;
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet(null, e.toString());
                        }
                    }
                } finally {
                    synchronized (latencies) {
                        latencies.add(Arrays.copyOf(own, count[0]));
                    }
                    done.countDown();
                }
            }, "bench-gateway-client-" + c);
            client.setDaemon(true);
            client.start();
        }
        done.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("clients", clients);
        figures.put("commands", all.length);
        figures.put("cases", sequence.get());
        figures.put("seconds", seconds);
        figures.put("commandsPerSecond", all.length / seconds);
        figures.put("p50Ms", percentile(all, 0.50));
        figures.put("p99Ms", percentile(all, 0.99));
        figures.put("failures", failures.get());
        figures.put("firstFailure", firstFailure.get());
        figures.put("casePrefix", casePrefix + "-" + phase + "-");
        return figures;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
