package org.civharm.infra.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import com.mongodb.client.model.Filters;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.civharm.contract.Topics;
import org.civharm.infra.security.Tokens;

/**
 * civharm measured through its public HTTP APIs: sustained command throughput, end-to-end latency at fixed offered
 * rates, the incident view's full rebuild, a case of 1,000 events, and each service's heap and RSS.
 * Every loop is bounded by a count and a time limit.
 */
final class CivharmLoad implements AutoCloseable {

    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MS = 20;

    private final SystemUnderTest sut;
    private final Mode mode;
    private final String caseworker;
    private final String reader;
    private final HttpClient http;
    private final ExecutorService httpExecutor = Executors.newCachedThreadPool(daemon("bench-http"));
    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode filing;
    private final JsonNode acknowledgement;
    private final JsonNode evidence;
    private final MongoClient mongo;
    private final String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    private final AtomicInteger gatewayPhases = new AtomicInteger();
    private final AtomicLong caseCounter = new AtomicLong();
    /** Cases the register seed appended (growth with {@code --seed}); they count towards the register size. */
    private final AtomicLong seededCases = new AtomicLong();
    private final AtomicInteger seedPhases = new AtomicInteger();
    private final AtomicLong evidenceCounter = new AtomicLong();

    CivharmLoad(SystemUnderTest sut, Mode mode) throws Exception {
        this.sut = sut;
        this.mode = mode;
        this.caseworker = "Bearer " + Tokens.mint(sut.signingKey, "bench.caseworker", List.of("CASEWORKER"),
                Duration.ofHours(12));
        this.reader = "Bearer " + Tokens.mint(sut.signingKey, "bench.reader", List.of("CASEWORKER", "AUDITOR", "ADMIN"),
                Duration.ofHours(12));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpExecutor)
                .connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode demo;
        try (InputStream in = CivharmLoad.class.getResourceAsStream("/demo/civharm-demo.json")) {
            demo = json.readTree(in);
        }
        JsonNode first = demo.get("cases").get(0);
        this.filing = first.get("allegation");
        JsonNode ack = null;
        JsonNode ev = null;
        for (JsonNode step : first.get("incidentSteps")) {
            String path = step.get("path").asText();
            if (path.equals("assessments") && step.at("/body/outcome").asText().equals("CREDIBLE")) {
                ack = step.get("body");
            }
            if (path.equals("evidence") && ev == null) {
                ev = step.get("body");
            }
        }
        this.acknowledgement = ack;
        this.evidence = ev;
        this.mongo = MongoClients.create(sut.mongoUri);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ------------------------------------------------------------------ HTTP

    record Reply(int status, String body, double millis) {
    }

    private Reply post(String service, String path, JsonNode body) {
        return post(sut.base(service), path, body);
    }

    private Reply post(URI base, String path, JsonNode body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", caseworker)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Reply postAdmin(String service, String path) {
        return send(HttpRequest.newBuilder(sut.base(service).resolve(path)).header("Authorization", reader)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Reply get(String service, String path) {
        return send(HttpRequest.newBuilder(sut.base(service).resolve(path)).header("Authorization", reader).GET());
    }

    private Reply send(HttpRequest.Builder request) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1e6);
        } catch (IOException e) {
            return new Reply(-1, e.toString(), (System.nanoTime() - t0) / 1e6);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted", (System.nanoTime() - t0) / 1e6);
        }
    }

    private String newCaseId() {
        return "BENCH-" + run + "-" + caseCounter.incrementAndGet();
    }

    private JsonNode filingFor(String caseId) {
        ObjectNode body = filing.deepCopy();
        body.put("caseId", caseId);
        return body;
    }

    private JsonNode evidenceItem() {
        ObjectNode body = evidence.deepCopy();
        long n = evidenceCounter.incrementAndGet();
        body.put("sha256", sha256(run + "-" + n));
        body.put("location", "https://example.org/bench/" + run + "/" + n);
        return body;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ counts

    long incidentEventsStored() {
        return mongo.getDatabase("civharm_incident").getCollection("domainevents").estimatedDocumentCount();
    }

    long incidentTopicEndOffsets() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sut.kafkaBootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(Topics.INCIDENT_EVENTS, Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    // ------------------------------------------------------------------ CPU per process

    private static final List<String> PROCESSES = List.of("kafka", "mongo", "incident-service", "accountability-service",
            "notification-service");

    /** CPU seconds (user + system) used so far by each process of the system and by the benchmark itself. */
    Map<String, Double> cpuSeconds() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String name : PROCESSES) {
            sut.pid(name).ifPresent(pid -> m.put(name, cpuOf(pid)));
        }
        m.put("bench", cpuOf(ProcessHandle.current().pid()));
        return m;
    }

    private static double cpuOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Cores used by each process between two snapshots: where the CPU went in a phase. */
    void cpuShare(String phase, Map<String, Double> before, long t0Nanos, Map<String, Double> out) {
        double wall = (System.nanoTime() - t0Nanos) / 1e9;
        Map<String, Double> after = cpuSeconds();
        StringBuilder line = new StringBuilder("bench: CPU cores used during " + phase + ":");
        double total = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double cores = (e.getValue() - before.getOrDefault(e.getKey(), Double.NaN)) / wall;
            out.put("civharm.cpu." + phase + "." + e.getKey() + "_cores", cores);
            if (!Double.isNaN(cores)) {
                total += cores;
            }
            line.append(String.format(" %s %.2f", e.getKey(), cores));
        }
        out.put("civharm.cpu." + phase + ".total_cores", total);
        System.out.println(line.append(String.format(" (total %.2f of %d)", total,
                Runtime.getRuntime().availableProcessors())));
    }

    // ------------------------------------------------------------------ MongoDB requests per command

    /**
     * Requests the Mongo-wire server has served, by "database command [collection]" (its {@code civharmRequestCounts}
     * command); empty against an external MongoDB, which has no such command.
     */
    Map<String, Long> mongoRequests() {
        Map<String, Long> counts = new TreeMap<>();
        try {
            org.bson.Document reply = mongo.getDatabase("admin").runCommand(new org.bson.Document("civharmRequestCounts", 1));
            reply.get("counts", org.bson.Document.class).forEach((key, n) -> counts.put(key, ((Number) n).longValue()));
        } catch (RuntimeException e) {
            counts.clear();
        }
        return counts;
    }

    /**
     * MongoDB requests per civharm command between two counts, by database and for the busiest kinds: how many round
     * trips a command costs across the services (its own writes and every consumer's), and where they go.
     */
    void mongoRequestsPerCommand(String phase, Map<String, Long> before, long commands, Map<String, Double> out) {
        Map<String, Long> after = mongoRequests();
        if (after.isEmpty() || commands <= 0) {
            return;
        }
        Map<String, Long> byDatabase = new TreeMap<>();
        Map<String, Long> byKind = new HashMap<>();
        after.forEach((key, n) -> {
            long delta = n - before.getOrDefault(key, 0L);
            if (delta > 0) {
                byDatabase.merge(key.substring(0, key.indexOf(' ')), delta, Long::sum);
                byKind.put(key, delta);
            }
        });
        long total = byDatabase.values().stream().mapToLong(Long::longValue).sum();
        out.put("civharm.mongo_requests." + phase + ".per_command", total / (double) commands);
        StringBuilder line = new StringBuilder(String.format("bench: MongoDB requests per command during %s: %.1f (",
                phase, total / (double) commands));
        byDatabase.forEach((db, n) -> {
            out.put("civharm.mongo_requests." + phase + "." + db + ".per_command", n / (double) commands);
            line.append(String.format("%s %.2f, ", db, n / (double) commands));
        });
        line.setLength(line.length() - 2);
        line.append("); by kind (at least 0.05):");
        byKind.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> e.getValue() >= 0.05 * commands)
                .forEach(e -> {
                    line.append(String.format(" [%s] %.2f", e.getKey(), e.getValue() / (double) commands));
                    out.put("civharm.mongo_requests." + phase + ".kind." + e.getKey().replace(' ', '.'),
                            e.getValue() / (double) commands);
                });
        System.out.println(line);
    }

    // ------------------------------------------------------------------ 1. sustained command throughput

    /**
     * N closed-loop clients, each filing a case, attaching one evidence item and acknowledging it (three commands per
     * case), until the command count or the time limit is reached. Then waits (bounded) until every event stored in
     * the phase is on the incident topic: that gives the end-to-end append rate (command → stored → on Kafka).
     */
    void throughput(Map<String, Double> out) throws Exception {
        long storedBefore = incidentEventsStored();
        long kafkaBefore = incidentTopicEndOffsets();
        Map<String, Long> requestsBefore = mongoRequests();
        Map<String, Double> cpuBefore = cpuSeconds();
        long t0 = System.nanoTime();
        ClosedLoop loop = closedLoop(List.of(sut.base("incident-service")), "");
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpuShare("throughput", cpuBefore, t0, out);
        long stored = incidentEventsStored() - storedBefore;
        long published = awaitOnKafka(kafkaBefore, stored);
        double toKafka = (System.nanoTime() - t0) / 1e9;
        // the downstream services' share too: counted once they have caught up (one probe case more, filed by settle)
        settle(mode.settleLimit);
        mongoRequestsPerCommand("throughput", requestsBefore, loop.ok(), out);
        out.put("civharm.http.commands_per_s", loop.ok() / seconds);
        out.put("civharm.http.commands_ok", (double) loop.ok());
        out.put("civharm.http.commands_refused", (double) loop.refused());
        out.put("civharm.http.commands_failed", (double) loop.failed());
        out.put("civharm.http.command_latency_p50_ms", Stats.percentile(loop.latencies(), 50));
        out.put("civharm.http.command_latency_p99_ms", Stats.percentile(loop.latencies(), 99));
        out.put("civharm.append.events_stored", (double) stored);
        out.put("civharm.append.events_stored_per_s", stored / seconds);
        out.put("civharm.append.events_on_kafka", (double) published);
        out.put("civharm.append.stored_and_on_kafka_per_s", published >= stored ? stored / toKafka : Double.NaN);
        System.out.printf("bench: HTTP throughput %d clients: %d commands ok (%d refused, %d failed) in %.1f s = %.1f cmd/s;"
                        + " %d events stored = %.1f ev/s; all on Kafka after %.1f s (%d of %d)%n", mode.clients, loop.ok(),
                loop.refused(), loop.failed(), seconds, loop.ok() / seconds, stored, stored / seconds, toKafka, published, stored);
    }

    /**
     * Waits (up to 120 s) until the incident topic holds {@code stored} records more than its end offsets
     * {@code kafkaBefore}; answers how many it holds more.
     */
    private long awaitOnKafka(long kafkaBefore, long stored) throws InterruptedException {
        long published = 0;
        long waitDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < waitDeadline) {
            published = incidentTopicEndOffsets() - kafkaBefore;
            if (published >= stored) {
                break;
            }
            Thread.sleep(200);
        }
        return published;
    }

    /**
     * Warm-up, not measured: the closed-loop load for {@code mode.throughputTime}, then each read the benchmark makes
     * (case stream, summary, accountability record, obligations) on the cases it filed, then a settle. Every phase
     * used to start on freshly started JVMs: on these 2 cores the JIT compilers then took about half of each service's
     * CPU for the first minutes (C2 threads, measured with {@code top -H}), and at 10 commands/s the system used all
     * of both cores where, warm, it uses a quarter of them.
     */
    void warmUp() throws Exception {
        ClosedLoop loop = closedLoop(List.of(sut.base("incident-service")), "W");
        for (String caseId : loop.cases().subList(0, Math.min(200, loop.cases().size()))) {
            get("incident-service", "/allegations/" + caseId + "/events");
            get("incident-service", "/allegations/" + caseId);
            get("accountability-service", "/cases/" + caseId);
            get("notification-service", "/obligations?caseId=" + caseId);
        }
        System.out.printf("bench: warm-up: %d commands in %.1f s (%.0f cmd/s), %d cases read back%n", loop.ok(),
                loop.seconds(), loop.perSecond(), Math.min(200, loop.cases().size()));
        settle(mode.settleLimit);
    }

    /** What one closed-loop run did, and the cases it filed. */
    private record ClosedLoop(int ok, int refused, int failed, double seconds, ConcurrentLinkedQueue<Double> latencies,
                              List<String> cases) {
        double perSecond() {
            return ok / seconds;
        }
    }

    /**
     * {@code mode.clients} closed-loop clients (client i sends to {@code incidentBases[i mod n]}), each filing a case,
     * attaching one evidence item and acknowledging it, until {@code mode.throughputCommands} or
     * {@code mode.throughputTime}. Case ids carry {@code tag} so a phase's cases can be found again.
     */
    private ClosedLoop closedLoop(List<URI> incidentBases, String tag) throws InterruptedException {
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        List<String> cases = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        long deadline = t0 + mode.throughputTime.toNanos();
        CountDownLatch done = new CountDownLatch(mode.clients);
        for (int c = 0; c < mode.clients; c++) {
            URI base = incidentBases.get(c % incidentBases.size());
            httpExecutor.execute(() -> {
                try {
                    int step = 0;
                    String caseId = null;
                    while (System.nanoTime() < deadline && issued.incrementAndGet() <= mode.throughputCommands) {
                        Reply r;
                        if (step == 0) {
                            caseId = tag.isEmpty() ? newCaseId() : "BENCH-" + run + "-" + tag + "-" + caseCounter.incrementAndGet();
                            r = post(base, "/allegations", filingFor(caseId));
                            if (r.status() == 201) {
                                cases.add(caseId);
                            }
                        } else if (step == 1) {
                            r = post(base, "/allegations/" + caseId + "/evidence", evidenceItem());
                        } else {
                            r = post(base, "/allegations/" + caseId + "/assessments", acknowledgement);
                        }
                        latencies.add(r.millis());
                        if (r.status() == 201) {
                            ok.incrementAndGet();
                            step = (step + 1) % 3;
                        } else if (r.status() == 409) {
                            refused.incrementAndGet();
                            step = 0;
                        } else {
                            failed.incrementAndGet();
                            step = 0;
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await(mode.throughputTime.toSeconds() + 120, TimeUnit.SECONDS);
        return new ClosedLoop(ok.get(), refused.get(), failed.get(), (System.nanoTime() - t0) / 1e9, latencies,
                List.copyOf(cases));
    }

    // ------------------------------------------------------------------ scale-out: 1 vs 2 instances

    /**
     * The closed-loop load against one instance of each service, then again with a second instance of each started
     * against the same Kafka and MongoDB (same consumer groups, same Axon processors) and the clients spread over
     * both incident-service instances. The second instances are then stopped (SIGTERM), and every case of both runs
     * is checked once the system has settled: each case's stream contiguous (per-case order), the incident view at
     * the stream's end, the case file holding each event of both services exactly once, and exactly one assessment
     * obligation per case.
     */
    void scaleOut(Map<String, Double> out) throws Exception {
        settle(mode.settleLimit);
        Map<String, Double> cpu = cpuSeconds();
        long t0 = System.nanoTime();
        ClosedLoop one = closedLoop(List.of(sut.base("incident-service")), "S1");
        cpuShare("scaleout_1", cpu, t0, out);
        sut.startSecondInstances();
        settle(mode.settleLimit);
        ClosedLoop two = closedLoop(sut.instances("incident-service"), "S2");
        for (var e : Map.of(1, one, 2, two).entrySet()) {
            String k = "civharm.scaleout." + e.getKey() + ".";
            out.put(k + "commands_per_s", e.getValue().perSecond());
            out.put(k + "commands_failed", (double) e.getValue().failed());
            out.put(k + "command_latency_p50_ms", Stats.percentile(e.getValue().latencies(), 50));
            out.put(k + "command_latency_p99_ms", Stats.percentile(e.getValue().latencies(), 99));
        }
        List<String> cases = new ArrayList<>(one.cases());
        cases.addAll(two.cases());
        // stopped before the check: what the second instances consumed and committed must hold after they are gone
        sut.stopSecondInstances();
        CaseCheck check = null;
        long deadline = System.nanoTime() + mode.settleLimit.multipliedBy(3).toNanos();
        while (System.nanoTime() < deadline) {
            check = checkCases("^BENCH-" + run + "-S[12]-", cases.size());
            if (check.settled()) {
                break;
            }
            Thread.sleep(2000);
        }
        out.put("civharm.scaleout.cases_checked", (double) cases.size());
        out.put("civharm.scaleout.order_violations", (double) check.gaps());
        out.put("civharm.scaleout.view_behind", (double) check.viewBehind());
        out.put("civharm.scaleout.case_file_duplicates", (double) check.caseFileDuplicates());
        out.put("civharm.scaleout.case_file_missing", (double) check.caseFileMissing());
        out.put("civharm.scaleout.assessment_obligations_off", (double) check.obligationsOff());
        System.out.printf("bench: scale-out: 1 instance %.1f cmd/s, 2 instances %.1f cmd/s; %d cases checked: %s%n",
                one.perSecond(), two.perSecond(), cases.size(), check);
    }

    /** What the scale-out check found for a set of cases (all 0 and settled: nothing out of order or doubled). */
    record CaseCheck(long gaps, long viewBehind, long caseFileDuplicates, long caseFileMissing, long obligationsOff) {
        boolean settled() {
            return gaps == 0 && viewBehind == 0 && caseFileDuplicates == 0 && caseFileMissing == 0 && obligationsOff == 0;
        }
    }

    private CaseCheck checkCases(String prefix, int cases) {
        var incident = mongo.getDatabase("civharm_incident");
        var accountability = mongo.getDatabase("civharm_accountability");
        var notification = mongo.getDatabase("civharm_notification");
        Map<String, java.util.TreeSet<Long>> streams = new HashMap<>();
        incident.getCollection("domainevents").find(Filters.regex("aggregateIdentifier", prefix))
                .projection(new org.bson.Document("aggregateIdentifier", 1).append("sequenceNumber", 1))
                .forEach(d -> streams.computeIfAbsent(d.getString("aggregateIdentifier"), k -> new java.util.TreeSet<>())
                        .add(d.get("sequenceNumber", Number.class).longValue()));
        long gaps = streams.values().stream().filter(seqs -> seqs.first() != 0 || seqs.last() != seqs.size() - 1).count();
        Map<String, Long> viewAt = new HashMap<>();
        live(incident, "allegation_summaries").find(Filters.regex("_id", prefix))
                .forEach(d -> viewAt.put(d.getString("_id"), d.get("lastSequence", Number.class).longValue()));
        long viewBehind = streams.entrySet().stream()
                .filter(e -> !Long.valueOf(e.getValue().last()).equals(viewAt.get(e.getKey()))).count();
        Map<String, Long> accountabilityEvents = new HashMap<>();
        accountability.getCollection("domainevents").find(Filters.regex("aggregateIdentifier", prefix))
                .projection(new org.bson.Document("aggregateIdentifier", 1))
                .forEach(d -> accountabilityEvents.merge(d.getString("aggregateIdentifier"), 1L, Long::sum));
        Map<String, Long> entries = new HashMap<>();
        Map<String, Long> distinctEntries = new HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        live(accountability, "timeline").find(Filters.regex("caseId", prefix))
                .projection(new org.bson.Document("caseId", 1).append("producedBy", 1).append("sequence", 1))
                .forEach(d -> {
                    String caseId = d.getString("caseId");
                    entries.merge(caseId, 1L, Long::sum);
                    if (seen.add(caseId + "/" + d.getString("producedBy") + "/" + d.get("sequence"))) {
                        distinctEntries.merge(caseId, 1L, Long::sum);
                    }
                });
        long duplicates = 0;
        long missing = 0;
        for (var e : streams.entrySet()) {
            long expected = e.getValue().size() + accountabilityEvents.getOrDefault(e.getKey(), 0L);
            long held = entries.getOrDefault(e.getKey(), 0L);
            duplicates += held - distinctEntries.getOrDefault(e.getKey(), 0L);
            missing += Math.max(0, expected - distinctEntries.getOrDefault(e.getKey(), 0L));
        }
        long obligations = live(notification, "obligations")
                .countDocuments(Filters.regex("_id", prefix + "[0-9]+:assessment-due:"));
        return new CaseCheck(gaps, viewBehind, duplicates, missing, Math.abs(cases - obligations));
    }

    private static com.mongodb.client.MongoCollection<org.bson.Document> live(com.mongodb.client.MongoDatabase db, String view) {
        org.bson.Document pointer = db.getCollection("view_pointers").find(Filters.eq("_id", view)).first();
        return db.getCollection(pointer == null || pointer.getString("collection") == null ? view : pointer.getString("collection"));
    }

    // ------------------------------------------------------------------ 2. end-to-end latency at fixed rates

    /**
     * Tails the incident topic during a latency phase: for each benchmark acknowledgement, its event id (the
     * notification obligation's id is {@code <case>:investigation-decision-due:<event id>}, so it can be read by id,
     * not by a query the embedded server would answer with a scan) and when it was seen on Kafka.
     */
    private final class AckTail implements AutoCloseable {
        final Map<String, String> eventIds = new ConcurrentHashMap<>();
        final Map<String, Long> seenAt = new ConcurrentHashMap<>();
        private volatile boolean running = true;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final Thread thread;

        AckTail() throws InterruptedException {
            thread = new Thread(this::tail, "bench-ack-tail");
            thread.setDaemon(true);
            thread.start();
            ready.await(30, TimeUnit.SECONDS);
        }

        private void tail() {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sut.kafkaBootstrap);
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringDeserializer.class);
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            String prefix = "BENCH-" + run + "-";
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo p : consumer.partitionsFor(Topics.INCIDENT_EVENTS, Duration.ofSeconds(10))) {
                    partitions.add(new TopicPartition(p.topic(), p.partition()));
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                ready.countDown();
                while (running) {
                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                        var type = r.headers().lastHeader(org.civharm.contract.EventHeaders.EVENT_TYPE);
                        var id = r.headers().lastHeader(org.civharm.contract.EventHeaders.EVENT_ID);
                        if (r.key() != null && r.key().startsWith(prefix) && type != null && id != null
                                && "AllegationAcknowledged".equals(new String(type.value(), StandardCharsets.UTF_8))) {
                            seenAt.putIfAbsent(r.key(), System.nanoTime());
                            eventIds.putIfAbsent(r.key(), new String(id.value(), StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (RuntimeException e) {
                System.err.println("bench: Kafka tail stopped: " + e);
            } finally {
                ready.countDown();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }



    /**
     * Open loop at a fixed offered rate of R commands/s: R/2 cases per second, each filed and then acknowledged
     * (2 commands). From the moment the acknowledgement's 201 arrives, one watcher looks for the accountability record
     * and the investigation-decision obligation of every outstanding case (see {@link VisibilityWatch}).
     *
     * @return p99 to accountability in ms
     */
    double latencyAt(int rate, Map<String, Double> out) throws Exception {
        int cases = Math.max(1, (int) (rate * mode.rateDuration.toSeconds() / 2));
        long intervalNanos = (long) (2e9 / rate);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, daemon("bench-offer"));
        ExecutorService senders = Executors.newFixedThreadPool(Math.min(200, Math.max(8, rate)), daemon("bench-send"));
        ConcurrentLinkedQueue<Double> toAccountability = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> toNotification = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> ackLatency = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        Map<String, Integer> failedBy = new ConcurrentHashMap<>();
        CountDownLatch finished = new CountDownLatch(cases * 2);
        ConcurrentLinkedQueue<Double> toKafka = new ConcurrentLinkedQueue<>();
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        AckTail tail = new AckTail();
        VisibilityWatch watch = new VisibilityWatch(tail, toAccountability, toNotification, timeouts, finished);
        Map<String, Double> cpuBefore = cpuSeconds();
        long t0 = System.nanoTime();
        for (int i = 0; i < cases; i++) {
            scheduler.schedule(() -> senders.execute(() -> {
                String caseId = newCaseId();
                Reply filed = post("incident-service", "/allegations", filingFor(caseId));
                Reply ack = filed.status() == 201
                        ? post("incident-service", "/allegations/" + caseId + "/assessments", acknowledgement) : filed;
                if (ack.status() != 201) {
                    failures.incrementAndGet();
                    // what failed: an HTTP status, or -1 for no answer (the client's 60 s timeout, a refused connection)
                    failedBy.merge((filed.status() == 201 ? "ack " : "filing ") + ack.status(), 1, Integer::sum);
                    finished.countDown();
                    finished.countDown();
                    return;
                }
                ackLatency.add(ack.millis());
                long acked = System.nanoTime();
                ackedAt.put(caseId, acked);
                watch.expect(caseId, acked);
            }), i * intervalNanos, TimeUnit.NANOSECONDS);
        }
        long bound = mode.rateDuration.toSeconds() + VISIBILITY_TIMEOUT.toSeconds() + 60;
        boolean complete = finished.await(bound, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpuShare("latency_" + rate, cpuBefore, t0, out);
        watch.close();
        tail.close();
        ackedAt.forEach((caseId, at) -> {
            Long seen = tail.seenAt.get(caseId);
            if (seen != null) {
                toKafka.add(Math.max(0, (seen - at) / 1e6));
            }
        });
        scheduler.shutdownNow();
        senders.shutdownNow();
        // the sends still waiting for an answer fail as they are interrupted: count them before recording (run AF's
        // table said 85 failed where the log, printed a moment later, said 200)
        senders.awaitTermination(10, TimeUnit.SECONDS);
        String k = "civharm.latency." + rate + ".";
        out.put(k + "accountability_p50_ms", Stats.percentile(toAccountability, 50));
        out.put(k + "accountability_p95_ms", Stats.percentile(toAccountability, 95));
        out.put(k + "accountability_p99_ms", Stats.percentile(toAccountability, 99));
        out.put(k + "notification_p50_ms", Stats.percentile(toNotification, 50));
        out.put(k + "notification_p95_ms", Stats.percentile(toNotification, 95));
        out.put(k + "notification_p99_ms", Stats.percentile(toNotification, 99));
        out.put(k + "ack_http_p99_ms", Stats.percentile(ackLatency, 99));
        out.put(k + "kafka_p50_ms", Stats.percentile(toKafka, 50));
        out.put(k + "kafka_p99_ms", Stats.percentile(toKafka, 99));
        out.put(k + "cases", (double) cases);
        out.put(k + "achieved_commands_per_s", 2.0 * ackLatency.size() / Math.min(seconds,
                mode.rateDuration.toSeconds() + Stats.max(ackLatency) / 1000.0 + 1));
        out.put(k + "failures", (double) failures.get());
        out.put(k + "timeouts", (double) timeouts.get() + (complete ? 0 : 1));
        out.put(k + "http_confirmed", (double) watch.confirmedOverHttp());
        System.out.printf("bench: offered %d cmd/s (%d cases): to accountability p50/p95/p99 %.0f/%.0f/%.0f ms, "
                        + "to notification %.0f/%.0f/%.0f ms, to Kafka p50/p99 %.0f/%.0f ms, ack HTTP p99 %.0f ms, %d failed,"
                        + " %d timed out%n", rate, cases,
                out.get(k + "accountability_p50_ms"), out.get(k + "accountability_p95_ms"),
                out.get(k + "accountability_p99_ms"), out.get(k + "notification_p50_ms"),
                out.get(k + "notification_p95_ms"), out.get(k + "notification_p99_ms"), out.get(k + "kafka_p50_ms"),
                out.get(k + "kafka_p99_ms"), out.get(k + "ack_http_p99_ms"),
                failures.get(), timeouts.get());
        if (!failedBy.isEmpty()) {
            System.out.println("bench: failed at " + rate + " cmd/s, by command and status: " + new TreeMap<>(failedBy));
            failedBy.forEach((what, n) -> out.put(k + "failed." + what.replace(' ', '_'), (double) n));
        }
        double p99 = out.get(k + "accountability_p99_ms");
        return timeouts.get() > 0 ? Double.POSITIVE_INFINITY : p99;
    }

    /**
     * Finds when each acknowledged case becomes visible downstream: its record in accountability-service's view
     * ({@code accountability_records}, what {@code GET /cases/{id}} reads) and its investigation-decision obligation in
     * notification-service ({@code obligations}, by id). One thread asks each store, every {@value #POLL_MS} ms, for
     * all outstanding ids at once (by {@code _id}, an index lookup). It replaced one authenticated GET per case per
     * poll, which at 50 commands/s was hundreds of requests a second to the very services being measured, on the same
     * two cores, and inflated what it measured (run F: p50 8.9 s at 10 cmd/s; 106 ms measured from the stores'
     * timestamps). A case not visible after {@link #VISIBILITY_TIMEOUT} counts at the time-out and as timed out.
     */
    private final class VisibilityWatch implements AutoCloseable {
        private final Map<String, Long> toAccountability = new ConcurrentHashMap<>();
        private final Map<String, Long> toNotification = new ConcurrentHashMap<>();
        private final java.util.Set<String> seenInAccountability = ConcurrentHashMap.newKeySet();
        private final AckTail tail;
        private final ConcurrentLinkedQueue<Double> accountabilityLatencies;
        private final ConcurrentLinkedQueue<Double> notificationLatencies;
        private final AtomicInteger timeouts;
        private final CountDownLatch finished;
        private final Thread thread;
        private volatile boolean running = true;

        VisibilityWatch(AckTail tail, ConcurrentLinkedQueue<Double> accountabilityLatencies,
                        ConcurrentLinkedQueue<Double> notificationLatencies, AtomicInteger timeouts,
                        CountDownLatch finished) {
            this.tail = tail;
            this.accountabilityLatencies = accountabilityLatencies;
            this.notificationLatencies = notificationLatencies;
            this.timeouts = timeouts;
            this.finished = finished;
            this.thread = new Thread(this::watch, "bench-visibility");
            thread.setDaemon(true);
            thread.start();
        }

        void expect(String caseId, long ackedAtNanos) {
            toAccountability.put(caseId, ackedAtNanos);
            toNotification.put(caseId, ackedAtNanos);
        }

        private void watch() {
            var accountability = mongo.getDatabase("civharm_accountability");
            var notification = mongo.getDatabase("civharm_notification");
            while (running) {
                long round = System.nanoTime();
                try {
                    look(toAccountability, accountabilityLatencies, ids -> {
                        java.util.Set<String> found = new java.util.HashSet<>();
                        live(accountability, "accountability_records").find(Filters.in("_id", ids))
                                .projection(new org.bson.Document("_id", 1)).forEach(d -> found.add(d.getString("_id")));
                        seenInAccountability.addAll(found);
                        return found;
                    });
                    look(toNotification, notificationLatencies, ids -> {
                        Map<String, String> caseOf = new HashMap<>();
                        for (String caseId : ids) {
                            String eventId = tail.eventIds.get(caseId);
                            if (eventId != null) {
                                caseOf.put(caseId + ":investigation-decision-due:" + eventId, caseId);
                            }
                        }
                        java.util.Set<String> found = new java.util.HashSet<>();
                        if (!caseOf.isEmpty()) {
                            live(notification, "obligations").find(Filters.in("_id", caseOf.keySet()))
                                    .projection(new org.bson.Document("_id", 1))
                                    .forEach(d -> found.add(caseOf.get(d.getString("_id"))));
                        }
                        return found;
                    });
                } catch (RuntimeException e) {
                    System.err.println("bench: visibility query failed (retrying): " + e);
                }
                long spentMs = (System.nanoTime() - round) / 1_000_000;
                try {
                    Thread.sleep(Math.max(1, POLL_MS - spentMs));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void look(Map<String, Long> outstanding, ConcurrentLinkedQueue<Double> latencies,
                          java.util.function.Function<List<String>, java.util.Set<String>> visible) {
            if (outstanding.isEmpty()) {
                return;
            }
            List<String> ids = new ArrayList<>(outstanding.keySet());
            java.util.Set<String> found = new java.util.HashSet<>();
            for (int from = 0; from < ids.size(); from += 1000) {
                found.addAll(visible.apply(ids.subList(from, Math.min(ids.size(), from + 1000))));
            }
            long now = System.nanoTime();
            for (String caseId : ids) {
                Long since = outstanding.get(caseId);
                if (found.contains(caseId)) {
                    latencies.add((now - since) / 1e6);
                    outstanding.remove(caseId);
                    finished.countDown();
                } else if (now - since > VISIBILITY_TIMEOUT.toNanos()) {
                    // counted at the time-out: the percentiles are then lower bounds, never flattered by leaving it out
                    latencies.add((double) VISIBILITY_TIMEOUT.toMillis());
                    timeouts.incrementAndGet();
                    outstanding.remove(caseId);
                    finished.countDown();
                }
            }
        }

        /**
         * Cross-checks the store reading against the API: up to 20 cases seen in the record view are read with
         * {@code GET /cases/{id}} after the phase; answers how many gave 200.
         */
        long confirmedOverHttp() {
            return seenInAccountability.stream().limit(20)
                    .filter(caseId -> get("accountability-service", "/cases/" + caseId).status() == 200).count();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    // ------------------------------------------------------------------ 3. a case of 1,000 events

    /** Files a case, attaches 999 evidence items one by one, then reads the stream and the summary 20 times each. */
    void longCase(Map<String, Double> out) throws Exception {
        String caseId = newCaseId();
        Reply filed = post("incident-service", "/allegations", filingFor(caseId));
        if (filed.status() != 201) {
            throw new IllegalStateException("filing failed: " + filed.status() + " " + filed.body());
        }
        long t0 = System.nanoTime();
        long deadline = t0 + (mode.name.equals("short") ? Duration.ofMinutes(2) : Duration.ofMinutes(10)).toNanos();
        int attached = 0;
        while (attached < mode.longCaseEvents - 1 && System.nanoTime() < deadline) {
            Reply r = post("incident-service", "/allegations/" + caseId + "/evidence", evidenceItem());
            if (r.status() == 201) {
                attached++;
            } else if (r.status() != 409) {
                throw new IllegalStateException("evidence failed: " + r);
            }
        }
        double appendSeconds = (System.nanoTime() - t0) / 1e9;
        out.put("civharm.long_case.events", (double) attached + 1);
        out.put("civharm.long_case.sequential_appends_per_s", attached / appendSeconds);
        // wait (bounded) for the view to hold every evidence item
        projectionLag("civharm.long_case.view_lag_before_reads", out);
        long viewStart = System.nanoTime();
        long viewDeadline = viewStart + mode.settleLimit.toNanos();
        while (System.nanoTime() < viewDeadline) {
            Reply r = get("incident-service", "/allegations/" + caseId);
            if (r.status() == 200 && json.readTree(r.body()).path("evidence").size() >= attached) {
                break;
            }
            Thread.sleep(250);
        }
        out.put("civharm.long_case.view_wait_s", (System.nanoTime() - viewStart) / 1e9);
        List<Double> events = new ArrayList<>();
        List<Double> summary = new ArrayList<>();
        int eventsStatus = 200;
        int summaryStatus = 200;
        int eventCount = 0;
        for (int i = 0; i < 23; i++) {
            Reply e = get("incident-service", "/allegations/" + caseId + "/events");
            Reply s = get("incident-service", "/allegations/" + caseId);
            if (e.status() != 200) {
                eventsStatus = e.status();
            }
            if (s.status() != 200) {
                summaryStatus = s.status();
            }
            if (i >= 3) { // the first reads warm the JIT and caches
                if (e.status() == 200) {
                    events.add(e.millis());
                }
                if (s.status() == 200) {
                    summary.add(s.millis());
                }
            } else if (e.status() == 200) {
                eventCount = json.readTree(e.body()).size();
            }
        }
        out.put("civharm.long_case.events_read", (double) eventCount);
        out.put("civharm.long_case.get_events_status", (double) eventsStatus);
        out.put("civharm.long_case.get_summary_status", (double) summaryStatus);
        out.put("civharm.long_case.get_events_p50_ms", Stats.percentile(events, 50));
        out.put("civharm.long_case.get_events_p95_ms", Stats.percentile(events, 95));
        out.put("civharm.long_case.get_summary_p50_ms", Stats.percentile(summary, 50));
        out.put("civharm.long_case.get_summary_p95_ms", Stats.percentile(summary, 95));
        // raw baseline: the same case's stored events read with the driver, one query sorted by sequence (plain filter)
        List<Double> raw = new ArrayList<>();
        var store = mongo.getDatabase("civharm_incident").getCollection("domainevents");
        int rawCount = 0;
        for (int i = 0; i < 13; i++) {
            long r0 = System.nanoTime();
            List<org.bson.Document> docs = store.find(new org.bson.Document("aggregateIdentifier", caseId))
                    .sort(new org.bson.Document("sequenceNumber", 1)).into(new ArrayList<>());
            if (i >= 3) {
                raw.add((System.nanoTime() - r0) / 1e6);
            }
            rawCount = docs.size();
        }
        out.put("raw.mongo.read_case.docs", (double) rawCount);
        out.put("raw.mongo.read_case.p50_ms", Stats.percentile(raw, 50));
        System.out.printf("bench: case of %d events (appended one by one at %.0f/s): GET events HTTP %d p50/p95 %.1f/%.1f ms,"
                        + " GET summary HTTP %d p50/p95 %.1f/%.1f ms; raw driver read of its %d docs p50 %.1f ms%n",
                attached + 1, attached / appendSeconds, eventsStatus, Stats.percentile(events, 50),
                Stats.percentile(events, 95), summaryStatus, Stats.percentile(summary, 50),
                Stats.percentile(summary, 95), rawCount, Stats.percentile(raw, 50));
    }

    /**
     * Waits (bounded) until a probe case, filed and acknowledged now, is visible in both downstream services: the
     * consumers have drained what earlier phases left behind. Returns the probe's latency to notification in ms, NaN
     * if it was not visible in both within the limit.
     */
    double settle(Duration limit) {
        String caseId = newCaseId();
        if (post("incident-service", "/allegations", filingFor(caseId)).status() != 201
                || post("incident-service", "/allegations/" + caseId + "/assessments", acknowledgement).status() != 201) {
            return Double.NaN;
        }
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        boolean accountability = false;
        boolean notification = false;
        while (System.nanoTime() < deadline && !(accountability && notification)) {
            accountability = accountability || get("accountability-service", "/cases/" + caseId).status() == 200;
            if (!notification) {
                Reply r = get("notification-service", "/obligations?case=" + caseId + "&policy=investigation-decision-due");
                notification = r.status() == 200 && !r.body().contains("\"total\":0");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("bench: settled: probe case visible downstream after %.0f ms%s%n", ms,
                accountability && notification ? "" : " (NOT visible within the limit)");
        return accountability && notification ? ms : Double.NaN;
    }

    // ------------------------------------------------------------------ 4. full rebuild of the incident view

    /** The incident view's full rebuild; figures under {@code civharm.rebuild.}. */
    void rebuild(Map<String, Double> out) throws Exception {
        rebuild("incident-service", "allegation-views", "civharm.rebuild.", out, mode.rebuildTimeLimit);
    }

    /**
     * The incident view's full rebuild at the grown register, figures under {@code civharm.rebuild_large.}: up to
     * 30 minutes in any mode, as a register of about 1 M events takes minutes at a few thousand events a second.
     */
    void rebuildAtLargest(Map<String, Double> out) throws Exception {
        Duration limit = mode.rebuildTimeLimit.compareTo(Duration.ofMinutes(30)) > 0 ? mode.rebuildTimeLimit : Duration.ofMinutes(30);
        rebuild("incident-service", "allegation-views", "civharm.rebuild_large.", out, limit);
    }

    /**
     * Full rebuilds of every projection of accountability-service and notification-service, one after the other, as
     * each service lists them in {@code GET /admin/projections} (accountability: the record view from its event store,
     * incident cases and timeline from the Kafka topics; notification: case facts from the topics, obligations from
     * the case facts). Figures under {@code civharm.rebuild_<projection>.}, and the source each folds from.
     */
    void rebuildOthers(Map<String, Double> out, Map<String, String> sources) throws Exception {
        for (String service : List.of("accountability-service", "notification-service")) {
            Reply r = get(service, "/admin/projections");
            if (r.status() != 200) {
                System.out.println("bench: " + service + " /admin/projections answered " + r.status());
                continue;
            }
            for (JsonNode p : json.readTree(r.body())) {
                String name = p.path("name").asText();
                sources.put(name, service + ", from " + p.path("source").asText());
                rebuild(service, name, "civharm.rebuild_" + name + ".", out, mode.rebuildTimeLimit);
            }
        }
    }

    /**
     * POST rebuild, then polls GET /admin/projections every 250 ms. The rate is the source items (events or records;
     * cases for obligations) the rebuild reported as its total divided by the time until it had folded them (the
     * service's own finish time also includes its drain and switch-over, reported separately).
     */
    private void rebuild(String service, String projection, String key, Map<String, Double> out, Duration limit)
            throws Exception {
        Reply started = postAdmin(service, "/admin/projections/" + projection + "/rebuild");
        if (started.status() != 202) {
            System.out.println("bench: rebuild of " + projection + " refused: " + started.status() + " " + started.body());
            return;
        }
        Map<String, Double> cpuBefore = cpuSeconds();
        long cpuT0 = System.nanoTime();
        JsonNode start = json.readTree(started.body());
        long total = start.path("total").asLong();
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        double caughtUpSeconds = Double.NaN;
        long done = 0;
        JsonNode rebuild = null;
        while (System.nanoTime() < deadline) {
            Reply r = get(service, "/admin/projections");
            if (r.status() == 200) {
                for (JsonNode p : json.readTree(r.body())) {
                    if (projection.equals(p.path("name").asText())) {
                        rebuild = p.path("rebuild");
                    }
                }
                if (rebuild != null) {
                    done = rebuild.path("done").asLong();
                    total = Math.max(total, rebuild.path("total").asLong());
                    if (total > 0 && done >= total && Double.isNaN(caughtUpSeconds)) {
                        caughtUpSeconds = (System.nanoTime() - t0) / 1e9;
                    }
                    if (rebuild.hasNonNull("finishedAt")) {
                        if (Double.isNaN(caughtUpSeconds)) {
                            caughtUpSeconds = (System.nanoTime() - t0) / 1e9;
                        }
                        break;
                    }
                }
            }
            Thread.sleep(250);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        cpuShare(key.substring("civharm.".length(), key.length() - 1), cpuBefore, cpuT0, out);
        boolean finished = rebuild != null && rebuild.hasNonNull("finishedAt");
        String error = rebuild == null ? null : rebuild.path("error").asText(null);
        out.put(key + "events", (double) total);
        out.put(key + "events_done", (double) done);
        out.put(key + "finished", finished && error == null ? 1.0 : 0.0);
        out.put(key + "events_per_s", Double.isNaN(caughtUpSeconds) ? done / elapsed : total / caughtUpSeconds);
        out.put(key + "service_reported_events_per_s", rebuild == null ? Double.NaN : rebuild.path("rate").asDouble());
        out.put(key + "seconds_to_switch", finished ? elapsed : Double.NaN);
        System.out.printf("bench: rebuild of %s: %d of %d, caught up after %s s, %s after %.1f s → %.0f /s%s%n",
                projection, done, total, Double.isNaN(caughtUpSeconds) ? "—" : String.format("%.1f", caughtUpSeconds),
                finished ? "switched" : "NOT finished (time limit)", elapsed, out.get(key + "events_per_s"),
                error == null ? "" : " ERROR " + error);
    }

    // ------------------------------------------------------------------ 4b. command gateway throughput

    /**
     * Command throughput through Axon's command gateway, without HTTP: an extra incident-service instance is started
     * with its gateway load runner ({@code org.civharm.incident.bench.GatewayLoad}) and {@code mode.clients}
     * closed-loop clients filing and acknowledging cases for {@code mode.throughputTime} after an unmeasured warm-up;
     * it writes its figures to a file. Then the time until every event stored in the phase was on the incident topic.
     * Runs against the same store, broker and processors as the first instance (the publisher's segment stays with
     * whichever instance holds its claim).
     */
    void gatewayThroughput(Map<String, Double> out) throws Exception {
        java.nio.file.Path report = java.nio.file.Files.createTempFile("civharm-gateway-", ".json");
        java.nio.file.Files.delete(report);
        int seconds = (int) Math.max(5, mode.throughputTime.toSeconds());
        int warmUp = Math.min(30, Math.max(10, seconds / 2));
        long storedBefore = incidentEventsStored();
        long kafkaBefore = incidentTopicEndOffsets();
        // a prefix of its own per call: with --repeat the second gateway phase filed run 1's case ids again, and its
        // 5,351 refused filings each left a reserved event-store position unfilled (short run U)
        String name = sut.startGatewayLoad(report, "BENCH-" + run + "-G" + gatewayPhases.incrementAndGet(),
                mode.clients, warmUp, seconds);
        JsonNode figures;
        long loadEnded;
        try {
            figures = awaitReport(name, report, Instant.now().plusSeconds(240L + warmUp + seconds), null);
            loadEnded = System.nanoTime();
        } finally {
            sut.stopInstance(name);
            java.nio.file.Files.deleteIfExists(report);
        }
        long stored = incidentEventsStored() - storedBefore;
        long published = awaitOnKafka(kafkaBefore, stored);
        double onKafkaAfter = (System.nanoTime() - loadEnded) / 1e9;
        out.put("civharm.gateway.commands_per_s", figures.path("commandsPerSecond").asDouble(Double.NaN));
        out.put("civharm.gateway.commands", figures.path("commands").asDouble(Double.NaN));
        out.put("civharm.gateway.failures", figures.path("failures").asDouble(Double.NaN));
        out.put("civharm.gateway.command_latency_p50_ms", figures.path("p50Ms").asDouble(Double.NaN));
        out.put("civharm.gateway.command_latency_p99_ms", figures.path("p99Ms").asDouble(Double.NaN));
        out.put("civharm.gateway.events_stored", (double) stored);
        out.put("civharm.gateway.all_on_kafka_after_s", published >= stored ? onKafkaAfter : Double.NaN);
        System.out.printf("bench: gateway throughput %d clients: %s commands in %.1f s = %.1f cmd/s (p50 %.1f ms, p99 %.1f"
                        + " ms, %s failed%s); %d events stored incl. warm-up, all on Kafka %.1f s after the load ended%n",
                mode.clients, figures.path("commands").asText(), figures.path("seconds").asDouble(),
                figures.path("commandsPerSecond").asDouble(), figures.path("p50Ms").asDouble(),
                figures.path("p99Ms").asDouble(), figures.path("failures").asText(),
                figures.path("firstFailure").isNull() || figures.path("firstFailure").isMissingNode() ? ""
                        : ": " + figures.path("firstFailure").asText(),
                stored, onKafkaAfter);
    }

    /** The incident view's lag (events in the store after its position), from GET /admin/projections. */
    void projectionLag(String key, Map<String, Double> out) {
        Reply r = get("incident-service", "/admin/projections");
        if (r.status() == 200) {
            try {
                double lag = json.readTree(r.body()).get(0).path("lag").asDouble(Double.NaN);
                out.put(key, lag);
                System.out.printf("bench: allegation-views lag %.0f events%n", lag);
            } catch (IOException ignored) {
                // left out
            }
        }
    }

    // ------------------------------------------------------------------ 5. memory

    /** Heap used (actuator, ADMIN token) and RSS (/proc/<pid>/status) of each service, in MiB. */
    /** Heap used right after a full collection requested with {@code jcmd <pid> GC.run}; NaN if that fails. */
    private double liveHeapMiB(long pid, String service) {
        try {
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                return Double.NaN;
            }
            Reply r = get(service, "/actuator/metrics/jvm.memory.used?tag=area:heap");
            return r.status() == 200 ? json.readTree(r.body()).at("/measurements/0/value").asDouble() / (1024 * 1024)
                    : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    void memory(String label, Map<String, Double> out) {
        for (String service : SystemUnderTest.SERVICES) {
            double heap = Double.NaN;
            Reply r = get(service, "/actuator/metrics/jvm.memory.used?tag=area:heap");
            if (r.status() == 200) {
                try {
                    heap = json.readTree(r.body()).at("/measurements/0/value").asDouble() / (1024 * 1024);
                } catch (IOException ignored) {
                    // left NaN
                }
            }
            double rss = sut.pid(service).map(CivharmLoad::rssMiB).orElse(Double.NaN);
            // "used" includes garbage not yet collected (G1 lets the heap fill before collecting); the live set is
            // what must fit, so also ask the JVM for a full collection and read again (local processes only)
            double live = sut.pid(service).map(pid -> liveHeapMiB(pid, service)).orElse(Double.NaN);
            out.put("civharm.memory." + label + "." + service + ".heap_mib", heap);
            out.put("civharm.memory." + label + "." + service + ".live_heap_mib", live);
            out.put("civharm.memory." + label + "." + service + ".rss_mib", rss);
            System.out.printf("bench: %s %s heap used %.0f MiB (after a full GC %.0f MiB), RSS %.0f MiB%n", label,
                    service, heap, live, rss);
        }
    }

    private static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux, or gone
        }
        return Double.NaN;
    }

    // ------------------------------------------------------------------ full mode: register growth

    /**
     * Files and acknowledges cases with N closed-loop clients until the register holds {@code targetCases} benchmark
     * cases (or the time limit), recording the command rate per window of cases: throughput vs register size. With
     * {@code --events-per-case N} each case also gets N - 2 evidence items between its filing and acknowledgement.
     */
    void growTo(int targetCases, Map<String, Double> out, List<double[]> curve, Instant deadline) throws Exception {
        int windowCases = Math.max(500, targetCases / 20);
        // case ids are counted when handed out; a filing that failed does not grow the register (run K's Mongo-wire
        // server ran out of heap, every command failed, and the growth reported 100 k cases at 0 cmd/s)
        AtomicLong notFiled = new AtomicLong();
        LongSupplier filed = () -> caseCounter.get() - notFiled.get() + seededCases.get();
        int curveBefore = curve.size();
        if (mode.growthBySeed) {
            // all but the last window seeded; the last window is filed by HTTP below, so the size still has a rate
            long toSeed = targetCases - filed.getAsLong() - Math.min(windowCases, targetCases - filed.getAsLong());
            if (toSeed > 0) {
                seed((int) toSeed, "civharm.growth." + targetCases + ".", out, deadline);
            }
        }
        while (filed.getAsLong() < targetCases && Instant.now().isBefore(deadline)) {
            long before = caseCounter.get();
            long t0 = System.nanoTime();
            AtomicInteger commands = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(mode.clients);
            long windowEnd = before + Math.min(windowCases, targetCases - filed.getAsLong());
            for (int c = 0; c < mode.clients; c++) {
                httpExecutor.execute(() -> {
                    try {
                        while (caseCounter.get() < windowEnd && Instant.now().isBefore(deadline)) {
                            String caseId = newCaseId();
                            if (post("incident-service", "/allegations", filingFor(caseId)).status() == 201) {
                                commands.incrementAndGet();
                                for (int e = 2; e < mode.growthEventsPerCase; e++) {
                                    if (post("incident-service", "/allegations/" + caseId + "/evidence",
                                            evidenceItem()).status() == 201) {
                                        commands.incrementAndGet();
                                    }
                                }
                                if (post("incident-service", "/allegations/" + caseId + "/assessments",
                                        acknowledgement).status() == 201) {
                                    commands.incrementAndGet();
                                }
                            } else {
                                notFiled.incrementAndGet();
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await(Duration.between(Instant.now(), deadline).toSeconds() + 60, TimeUnit.SECONDS);
            double rate = commands.get() / ((System.nanoTime() - t0) / 1e9);
            curve.add(new double[] {filed.getAsLong(), rate});
            System.out.printf("bench: register %d bench cases: %.1f cmd/s%n", filed.getAsLong(), rate);
            if (commands.get() == 0) {
                System.out.printf("bench: no command succeeded in a window of %d cases: the growth stops%n", windowCases);
                break;
            }
        }
        out.put("civharm.growth." + targetCases + ".cases_reached", (double) filed.getAsLong());
        // the register's size in events (every case of the store, the benchmark's earlier phases too)
        double events = Double.NaN; // a count that fails must not lose the size's other figures
        try {
            events = incidentEventsStored();
        } catch (RuntimeException e) {
            System.out.printf("bench: could not count the incident events: %s%n", e);
        }
        out.put("civharm.growth." + targetCases + ".incident_events", events);
        System.out.printf("bench: register at %d bench cases: %.0f incident events stored%n", filed.getAsLong(), events);
        out.put("civharm.growth." + targetCases + ".commands_per_s",
                curve.size() == curveBefore ? Double.NaN : curve.get(curve.size() - 1)[1]);
    }

    /**
     * Seeds {@code cases} whole cases of {@code mode.growthEventsPerCase} events with an extra incident-service instance
     * (its register seed, {@code org.civharm.incident.bench.RegisterSeed}), then waits until the system has caught up:
     * every seeded event on the incident topic, both downstream consumer groups at the topics' ends, and a probe case
     * visible downstream. Records the seed's append rate and the catch-up time (NaN if the deadline came first).
     */
    private void seed(int cases, String prefix, Map<String, Double> out, Instant deadline) throws Exception {
        if (!Instant.now().isBefore(deadline)) {
            System.out.println("bench: no seeding: the growth deadline has passed");
            return;
        }
        Path report = Files.createTempFile("civharm-seed-", ".json");
        Files.delete(report);
        long storedBefore = incidentEventsStored();
        long kafkaBefore = incidentTopicEndOffsets();
        System.out.printf("bench: seeding %d cases of %d events%n", cases, mode.growthEventsPerCase);
        // a tag no other phase uses: "-S1" was the scale-out's, and the store refused the seed's first colliding case
        // (short run AI)
        String name = sut.startRegisterSeed(report, "BENCH-" + run + "-SEED" + seedPhases.incrementAndGet(), cases,
                mode.growthEventsPerCase);
        JsonNode figures = null;
        String failure = null;
        try {
            // (its start takes under a minute here; then every batch adds 2,000 events)
            figures = awaitReport(name, report, deadline, this::incidentEventsStored);
            if (figures.has("failure")) {
                failure = "the register seed failed: " + figures.path("failure").asText();
            }
        } catch (IllegalStateException e) {
            failure = e.getMessage();
        } finally {
            sut.stopInstance(name);
            Files.deleteIfExists(report);
        }
        long stored = incidentEventsStored() - storedBefore;
        // a seed that failed reported no count: the documents it stored count, in cases. A refused batch's stored part
        // and its voided positions are among them, so this can be over by up to one batch (short run AI: 3,800 for
        // 3,600 whole cases and 179 of the refused batch)
        long seeded = figures != null && failure == null ? figures.path("cases").asLong() : stored / mode.growthEventsPerCase;
        seededCases.addAndGet(seeded);
        out.merge(prefix + "seeded_cases", (double) seeded, Double::sum);
        if (failure != null) {
            throw new IllegalStateException(failure + " (" + seeded + " cases stored)");
        }
        long t0 = System.nanoTime();
        boolean caughtUp = awaitCaughtUp(kafkaBefore, stored, deadline);
        double catchUp = caughtUp ? (System.nanoTime() - t0) / 1e9 : Double.NaN;
        out.put(prefix + "seed_events_per_s", figures.path("eventsPerSecond").asDouble(Double.NaN));
        out.put(prefix + "seed_catch_up_s", catchUp);
        out.put(prefix + "seed_catch_up_events_per_s", stored / catchUp);
        System.out.printf("bench: seeded %d cases (%d events) at %.0f events/s; the system %s%n", seeded, stored,
                figures.path("eventsPerSecond").asDouble(),
                caughtUp ? String.format("caught up %.0f s later (%.0f events/s)", catchUp, stored / catchUp)
                        : "had NOT caught up by the growth deadline");
    }

    /**
     * Waits for the report an extra incident-service instance (gateway load, register seed) writes when it is done,
     * and reads it. Fails, with the end of the instance's log, if the instance exits, if {@code deadline} comes
     * first, or — given {@code progress} — if that count stays the same for 3 minutes.
     */
    private JsonNode awaitReport(String name, Path report, Instant deadline, LongSupplier progress)
            throws IOException, InterruptedException {
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (!Files.exists(report)) {
            if (!sut.alive(name)) {
                throw new IllegalStateException(name + " exited:\n" + sut.tailLog(name));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " wrote no report in time:\n" + sut.tailLog(name));
            }
            if (progress != null) {
                long count = progress.getAsLong();
                if (count != lastCount) {
                    lastCount = count;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > Duration.ofMinutes(3).toNanos()) {
                    throw new IllegalStateException(name + " made no progress for 3 minutes and wrote no report:\n"
                            + sut.tailLog(name));
                }
            }
            Thread.sleep(500);
        }
        return json.readTree(report.toFile());
    }

    /**
     * Waits until the incident topic holds {@code stored} records more than {@code kafkaBefore}; then for a probe case
     * to be visible downstream, which also means every seeded event was published (the publisher sends in store
     * order, and the probe was stored after them) and went through accountability's own topic for its case; then
     * until the accountability and notification consumer groups (the services' default group ids) have committed the
     * ends of both topics they read at two polls in a row, 5 s apart: every partition consumed. False if
     * {@code deadline} came first.
     */
    private boolean awaitCaughtUp(long kafkaBefore, long stored, Instant deadline) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sut.kafkaBootstrap);
        long lastReport = System.nanoTime();
        try (Admin admin = Admin.create(config)) {
            boolean published = false;
            boolean probed = false;
            int atEnd = 0;
            while (Instant.now().isBefore(deadline)) {
                long lag = -1;
                if (!published) {
                    published = incidentTopicEndOffsets() - kafkaBefore >= stored;
                }
                if (published && !probed) {
                    Duration left = Duration.between(Instant.now(), deadline);
                    probed = !Double.isNaN(settle(left.compareTo(mode.settleLimit) < 0 ? left : mode.settleLimit));
                }
                if (probed) {
                    lag = consumerLag(admin);
                    atEnd = lag == 0 ? atEnd + 1 : 0;
                    if (atEnd >= 2) {
                        return true;
                    }
                }
                if (System.nanoTime() - lastReport > 60e9) {
                    lastReport = System.nanoTime();
                    System.out.printf("bench: catching up: seeded events %s on Kafka, probe %s, downstream lag %s records%n",
                            published ? "all" : "not all", probed ? "seen" : "not seen", lag < 0 ? "?" : Long.toString(lag));
                }
                Thread.sleep(5000);
            }
        }
        return false;
    }

    /** Records the accountability and notification groups have not committed, over both topics they read. */
    private long consumerLag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDescription topic : admin.describeTopics(List.of(Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS))
                .allTopicNames().get(30, TimeUnit.SECONDS).values()) {
            topic.partitions().forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (String group : List.of("accountability-service", "notification-service")) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            if (committed.isEmpty()) { // another group id (KAFKA_CONSUMER_GROUP, CIVHARM_KAFKA_GROUP_ID): say so
                throw new IllegalStateException("consumer group " + group + " has committed no offsets: the catch-up"
                        + " check knows only the services' default group ids");
            }
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                lag += Math.max(0, end.getValue().offset() - (at == null ? 0 : at.offset()));
            }
        }
        return lag;
    }

    long casesFiled() {
        return caseCounter.get();
    }

    Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("run", run);
        return d;
    }

    @Override
    public void close() {
        mongo.close();
        httpExecutor.shutdownNow();
    }
}
