package org.civharm.infra.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * civharm measured against raw Kafka and raw MongoDB in the same run, on the same machine and servers.
 * Start it with {@code infra/bench.sh [short|full] [--repeat N] [--rates 10,25,50] [--keep-data]} from anywhere.
 * Not a test: nothing here runs in {@code mvn verify}. See infra/BENCHMARKS.md.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.mongodb.driver", "warn");
        System.setProperty("java.awt.headless", "true");
        // idle HTTP connections closed by the client before Tomcat closes them (60 s): the JDK client keeps them 20
        // minutes, and a request on one Tomcat had closed failed ("header parser received no bytes", short run W)
        System.setProperty("jdk.httpclient.keepalive.timeout", "30");
        String modeName = "short";
        int repeat = 1;
        boolean keepData = false;
        List<Integer> rates = null;
        List<Integer> registerSizes = null;
        Duration growthLimit = null;
        Integer eventsPerCase = null;
        boolean seed = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "short", "full" -> modeName = args[i];
                case "--repeat" -> repeat = Math.max(1, Math.min(20, Integer.parseInt(args[++i])));
                case "--rates" -> {
                    rates = new ArrayList<>();
                    for (String r : args[++i].split(",")) {
                        rates.add(Integer.parseInt(r.trim()));
                    }
                }
                case "--register-sizes" -> {
                    registerSizes = new ArrayList<>();
                    for (String r : args[++i].split(",")) {
                        registerSizes.add(Integer.parseInt(r.trim()));
                    }
                }
                case "--keep-data" -> keepData = true;
                case "--seed" -> seed = true;
                case "--growth-limit-minutes" -> growthLimit = Duration.ofMinutes(Long.parseLong(args[++i]));
                case "--events-per-case" -> {
                    eventsPerCase = Integer.parseInt(args[++i]);
                    if (eventsPerCase < 2) { // filed and acknowledged at least
                        System.err.println("--events-per-case must be at least 2, not " + eventsPerCase);
                        System.exit(2);
                    }
                }
                default -> {
                    System.err.println("usage: infra/bench.sh [short|full] [--repeat N] [--rates 10,25,50]"
                            + " [--register-sizes 10000,100000] [--growth-limit-minutes M] [--events-per-case N]"
                            + " [--seed] [--keep-data]");
                    System.exit(2);
                }
            }
        }
        Mode mode = Mode.of(modeName);
        if (registerSizes != null) {
            // growth phases in any mode, e.g. a short run plus the heap at 10 k cases
            mode.registerSizes = registerSizes;
            if (mode.growthTimeLimit.isZero()) {
                mode.growthTimeLimit = Duration.ofHours(2);
            }
        }
        if (growthLimit != null) {
            mode.growthTimeLimit = growthLimit;
        }
        if (eventsPerCase != null) {
            mode.growthEventsPerCase = eventsPerCase;
        }
        mode.growthBySeed = seed;
        if (rates != null) {
            mode.rates = rates;
        }
        int exit = new Benchmark().run(mode, repeat, keepData);
        System.exit(exit);
    }

    private int run(Mode mode, int repeat, boolean keepData) throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path results = repo.resolve("results").resolve(stamp);
        Files.createDirectories(results);
        Path data = Files.createTempDirectory("civharm-bench-");
        Instant began = Instant.now();
        Map<String, Object> machine = machine();
        System.out.println("bench: mode " + mode.name + ", repeat " + repeat + ", results " + results + ", data " + data);
        System.out.println("bench: machine " + machine);

        List<Map<String, Double>> runs = new ArrayList<>();
        List<double[]> growth = new ArrayList<>();
        Map<String, Double> growthFigures = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> projectionSources = new TreeMap<>();
        List<Integer> ratesRun = new ArrayList<>(mode.rates);
        Map<String, Object> doc = new LinkedHashMap<>();
        SystemUnderTest sut = null;
        try {
            List<String> javaOpts = new ArrayList<>();
            String extra = System.getenv().getOrDefault("CIVHARM_SERVICE_JAVA_OPTS", "").trim();
            if (!extra.isEmpty()) {
                javaOpts.addAll(List.of(extra.split("\\s+")));
            }
            long t0 = System.nanoTime();
            sut = SystemUnderTest.start(repo, data, javaOpts);
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "bench: system up in %.1f s (%s)%n", startSeconds,
                    sut.external ? "external Kafka " + sut.kafkaBootstrap + " and Mongo" : "local: KRaft broker, Mongo-wire H2 server, 3 services");
            final SystemUnderTest started = sut;
            try (CivharmLoad load = new CivharmLoad(sut, mode)) {
                phase("warm-up (not measured)", notes, load::warmUp);
                for (int r = 1; r <= repeat; r++) {
                    System.out.println("bench: ===== run " + r + " of " + repeat + " =====");
                    Map<String, Double> m = new TreeMap<>();
                    phase("raw baselines", notes, () -> new RawBaselines(started, mode).measure(m));
                    List<Integer> thisRun = new ArrayList<>(mode.rates);
                    for (int i = 0; i < thisRun.size(); i++) {
                        int rate = thisRun.get(i);
                        double[] p99 = {Double.NaN};
                        phase("settle before " + rate + " cmd/s", notes,
                                () -> m.put("civharm.latency." + rate + ".settle_ms", load.settle(mode.settleLimit)));
                        phase("latency at " + rate + " cmd/s", notes, () -> p99[0] = load.latencyAt(rate, m));
                        if (p99[0] > 1000) {
                            m.putIfAbsent("civharm.latency.p99_passes_1s_at", (double) rate);
                        }
                        // every listed rate runs; the search only adds rates above them until p99 passes 1 s
                        if (mode.searchP99Crossing && i == thisRun.size() - 1 && rate < 4000
                                && !m.containsKey("civharm.latency.p99_passes_1s_at")) {
                            thisRun.add(rate < 1000 ? rate + 250 : rate * 3 / 2);
                        }
                    }
                    for (int rate : thisRun) {
                        if (!ratesRun.contains(rate) && m.containsKey("civharm.latency." + rate + ".cases")) {
                            ratesRun.add(rate);
                        }
                    }
                    m.put("civharm.latency.max_rate_run", (double) thisRun.get(thisRun.size() - 1));
                    phase("settle before the throughput phase", notes, () -> load.settle(mode.settleLimit));
                    phase("HTTP throughput", notes, () -> load.throughput(m));
                    phase("settle before the gateway phase", notes, () -> load.settle(mode.settleLimit));
                    phase("command gateway throughput", notes, () -> load.gatewayThroughput(m));
                    phase("1,000-event case", notes, () -> load.longCase(m));
                    m.put("civharm.cases_filed", (double) load.casesFiled());
                    phase("memory", notes, () -> load.memory("end_of_load", m));
                    phase("rebuild", notes, () -> load.rebuild(m));
                    phase("rebuilds of the other projections", notes, () -> load.rebuildOthers(m, projectionSources));
                    if (r == repeat) {
                        // last: the second instances stay up until the end of the benchmark
                        phase("scale-out: 1 vs 2 instances", notes, () -> load.scaleOut(m));
                    }
                    runs.add(m);
                    writeJson(results, doc, mode, repeat, began, machine, runs, growth, growthFigures, notes, ratesRun, sut);
                }
                if (!mode.registerSizes.isEmpty()) {
                    Instant deadline = Instant.now().plus(mode.growthTimeLimit);
                    for (int size : mode.registerSizes) {
                        phase("growth to " + size + " cases", notes, () -> {
                            load.growTo(size, growthFigures, growth, deadline);
                            load.memory("at_" + size + "_cases", growthFigures);
                        });
                    }
                    phase("rebuild at the largest register", notes, () -> load.rebuildAtLargest(growthFigures));
                }
            }
        } catch (Exception e) {
            notes.add("aborted: " + e);
            System.err.println("bench: aborted: " + e);
            e.printStackTrace();
        } finally {
            if (sut != null) {
                sut.close();
            }
            if (!keepData) {
                deleteTree(data);
            }
        }
        machine.put("loadavg_end", loadavg());
        Map<String, Double> medians = medians(runs);
        medians.putAll(growthFigures);
        List<List<String>> table = table(medians, mode, ratesRun, repeat);
        String markdown = markdown(table);
        doc.put("medians", medians);
        doc.put("table", table);
        doc.put("projectionSources", projectionSources);
        writeJson(results, doc, mode, repeat, began, machine, runs, growth, growthFigures, notes, ratesRun, sut);
        Files.writeString(results.resolve("table.md"), markdown);
        try {
            Chart.write(results.resolve("chart.png"), ratesRun, medians, growth,
                    "civharm bench " + mode.name + " " + stamp + " (medians of " + runs.size() + " run(s))");
        } catch (Exception | Error e) {
            notes.add("chart not written: " + e);
        }
        System.out.println();
        System.out.println("civharm benchmark (" + mode.name + ", medians of " + runs.size() + " run(s)), "
                + began + ", " + machine.get("cores") + " cores, load average at start " + machine.get("loadavg_start")
                + ", at end " + machine.get("loadavg_end"));
        System.out.println(markdown);
        notes.forEach(n -> System.out.println("note: " + n));
        System.out.println("results: " + results.resolve("results.json") + ", " + results.resolve("chart.png"));
        return runs.isEmpty() ? 1 : 0;
    }

    private interface Phase {
        void run() throws Exception;
    }

    private static void phase(String name, List<String> notes, Phase phase) {
        long t0 = System.nanoTime();
        try {
            phase.run();
        } catch (Exception e) {
            notes.add(name + " failed: " + e);
            System.err.println("bench: " + name + " failed: " + e);
            e.printStackTrace();
        }
        System.out.printf(Locale.ROOT, "bench: [%s took %.1f s]%n", name, (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Double> medians(List<Map<String, Double>> runs) {
        Map<String, Double> medians = new TreeMap<>();
        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(r -> keys.addAll(r.keySet()));
        for (String k : keys) {
            List<Double> values = new ArrayList<>();
            runs.forEach(r -> values.add(r.getOrDefault(k, Double.NaN)));
            medians.put(k, Stats.median(values));
        }
        return medians;
    }

    // ------------------------------------------------------------------ the table

    private static List<List<String>> table(Map<String, Double> m, Mode mode, List<Integer> rates, int repeat) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("figure", "civharm", "raw baseline (same run)", "ratio", "target", "verdict"));
        double insertOne = get(m, "raw.mongo.insert_one.docs_per_s");
        double consumer = get(m, "raw.kafka.consumer.records_per_s");
        rows.add(List.of("raw Kafka producer, " + fmt(get(m, "raw.kafka.record_bytes")) + " B records, 6 partitions, acks=all, idempotent",
                "—", fmt(get(m, "raw.kafka.producer.records_per_s")) + " rec/s", "", "", ""));
        rows.add(List.of("raw Kafka consumer, same topic", "—", fmt(consumer) + " rec/s", "", "", ""));
        rows.add(List.of("raw Mongo driver insertOne, event-shaped " + fmt(get(m, "raw.mongo.doc_bytes"))
                + " B docs, unique (aggregate, seq) index, 1 thread", "—", fmt(insertOne) + " docs/s", "", "", ""));
        rows.add(List.of("raw Mongo driver insertMany(100)", "—", fmt(get(m, "raw.mongo.insert_many100.docs_per_s")) + " docs/s",
                "", "", ""));
        double append = get(m, "civharm.append.stored_and_on_kafka_per_s");
        rows.add(List.of("end-to-end append: HTTP command → event stored → on Kafka (" + mode.clients + " clients)",
                fmt(append) + " ev/s", fmt(insertOne) + " docs/s (insertOne)", pct(append, insertOne), "≥ 50 %",
                verdict(append / insertOne, r -> r >= 0.5)));
        rows.add(List.of("HTTP commands (file / evidence / acknowledge), " + mode.clients + " closed-loop clients",
                fmt(get(m, "civharm.http.commands_per_s")) + " cmd/s (p99 " + fmt(get(m, "civharm.http.command_latency_p99_ms"))
                        + " ms)", "", "", "", ""));
        rows.add(List.of("events stored during the HTTP load", fmt(get(m, "civharm.append.events_stored_per_s")) + " ev/s",
                fmt(insertOne) + " docs/s (insertOne)", pct(get(m, "civharm.append.events_stored_per_s"), insertOne), "", ""));
        double rebuild = get(m, "civharm.rebuild.events_per_s");
        boolean rebuildFinished = get(m, "civharm.rebuild.finished") >= 0.5;
        rows.add(List.of("full rebuild of allegation-views (" + fmt(get(m, "civharm.rebuild.events")) + " events"
                        + (rebuildFinished ? "" : ", NOT finished in " + mode.rebuildTimeLimit.toSeconds() + " s") + ")",
                fmt(rebuild) + " ev/s", fmt(consumer) + " rec/s (consumer)", pct(rebuild, consumer), "≥ 50 %",
                verdict(rebuild / consumer, r -> r >= 0.5)));
        for (String key : m.keySet()) {
            if (key.startsWith("civharm.rebuild_") && key.endsWith(".events") && !key.startsWith("civharm.rebuild_large.")) {
                String k = key.substring(0, key.length() - "events".length());
                String name = k.substring("civharm.rebuild_".length(), k.length() - 1);
                double rate = get(m, k + "events_per_s");
                rows.add(List.of("full rebuild of " + name + " (" + fmt(get(m, k + "events")) + " source items"
                                + (get(m, k + "finished") >= 0.5 ? "" : ", NOT finished") + ")",
                        fmt(rate) + " /s", fmt(consumer) + " rec/s (consumer)", pct(rate, consumer), "", ""));
            }
        }
        if (m.containsKey("civharm.gateway.commands_per_s")) {
            rows.add(List.of("command throughput through the command gateway (no HTTP), " + mode.clients
                            + " clients; p50/p99 per command " + fmt1(get(m, "civharm.gateway.command_latency_p50_ms"))
                            + " / " + fmt1(get(m, "civharm.gateway.command_latency_p99_ms")) + " ms; all on Kafka "
                            + fmt1(get(m, "civharm.gateway.all_on_kafka_after_s")) + " s after the load",
                    fmt(get(m, "civharm.gateway.commands_per_s")) + " cmd/s = ev/s stored",
                    fmt(insertOne) + " docs/s (insertOne)", pct(get(m, "civharm.gateway.commands_per_s"), insertOne),
                    "", ""));
        }
        for (int rate : rates) {
            String k = "civharm.latency." + rate + ".";
            if (!m.containsKey(k + "cases")) {
                continue;
            }
            String failures = get(m, k + "failures") + get(m, k + "timeouts") > 0
                    ? " (" + fmt(get(m, k + "failures")) + " failed, " + fmt(get(m, k + "timeouts")) + " timed out)" : "";
            double p99 = get(m, k + "accountability_p99_ms");
            boolean target = rate == 200;
            rows.add(List.of("ack → record visible in accountability, p50/p95/p99 at " + rate + " cmd/s offered"
                            + " (achieved " + fmt(get(m, k + "achieved_commands_per_s")) + ")" + failures,
                    fmt(get(m, k + "accountability_p50_ms")) + " / " + fmt(get(m, k + "accountability_p95_ms")) + " / "
                            + fmt(p99) + " ms", "", "", target ? "p99 < 250 ms at 200 cmd/s" : "",
                    target ? verdict(p99, v -> v < 250) : ""));
            rows.add(List.of("ack → event on Kafka (incident topic), p50/p99 at " + rate + " cmd/s",
                    fmt(get(m, k + "kafka_p50_ms")) + " / " + fmt(get(m, k + "kafka_p99_ms")) + " ms", "", "", "", ""));
            rows.add(List.of("ack → obligation visible in notification, p50/p95/p99 at " + rate + " cmd/s",
                    fmt(get(m, k + "notification_p50_ms")) + " / " + fmt(get(m, k + "notification_p95_ms")) + " / "
                            + fmt(get(m, k + "notification_p99_ms")) + " ms", "", "", "", ""));
        }
        if (!rates.contains(200) || !m.containsKey("civharm.latency.200.cases")) {
            rows.add(List.of("ack → accountability p99 at 200 cmd/s", "—", "", "", "p99 < 250 ms at 200 cmd/s",
                    "NOT MEASURED"));
        }
        double crossing = get(m, "civharm.latency.p99_passes_1s_at");
        rows.add(List.of("offered rate where p99 to accountability passes 1 s",
                Double.isNaN(crossing) ? "> " + fmt(get(m, "civharm.latency.max_rate_run")) + " cmd/s (not reached)"
                        : "≤ " + fmt(crossing) + " cmd/s", "", "", "", ""));
        double events = get(m, "civharm.long_case.get_events_p50_ms");
        double summary = get(m, "civharm.long_case.get_summary_p50_ms");
        double eventsStatus = get(m, "civharm.long_case.get_events_status");
        double summaryStatus = get(m, "civharm.long_case.get_summary_status");
        String rawRead = fmt1(get(m, "raw.mongo.read_case.p50_ms")) + " ms (driver, " + fmt(get(m, "raw.mongo.read_case.docs"))
                + " docs, one query)";
        rows.add(List.of("case of " + fmt(get(m, "civharm.long_case.events")) + " events: GET /allegations/{id}/events p50 (p95)",
                (eventsStatus == 200 ? "" : "HTTP " + fmt(eventsStatus) + "; ") + fmt1(events) + " ("
                        + fmt1(get(m, "civharm.long_case.get_events_p95_ms")) + ") ms", rawRead,
                pct(events, get(m, "raw.mongo.read_case.p50_ms")), "< 50 ms",
                eventsStatus == 200 || Double.isNaN(eventsStatus) ? verdict(events, v -> v < 50) : "FAIL (HTTP " + fmt(eventsStatus) + ")"));
        rows.add(List.of("same case: GET /allegations/{id} (view) p50 (p95)",
                (summaryStatus == 200 ? "" : "HTTP " + fmt(summaryStatus) + "; ") + fmt1(summary) + " ("
                        + fmt1(get(m, "civharm.long_case.get_summary_p95_ms")) + ") ms", "", "", "< 50 ms",
                summaryStatus == 200 || Double.isNaN(summaryStatus) ? verdict(summary, v -> v < 50) : "FAIL (HTTP " + fmt(summaryStatus) + ")"));
        rows.add(List.of("incident view lag when the 1,000-event case was read (waited "
                        + fmt(get(m, "civharm.long_case.view_wait_s")) + " s for it)",
                fmt(get(m, "civharm.long_case.view_lag_before_reads")) + " events behind", "", "", "", ""));
        rows.add(List.of("same case: sequential appends (999 evidence commands, one client)",
                fmt(get(m, "civharm.long_case.sequential_appends_per_s")) + " cmd/s", "", "", "", ""));
        if (m.containsKey("civharm.scaleout.1.commands_per_s")) {
            double one = get(m, "civharm.scaleout.1.commands_per_s");
            double two = get(m, "civharm.scaleout.2.commands_per_s");
            rows.add(List.of("scale-out: HTTP commands with 2 instances of each service vs 1 (" + mode.clients
                            + " clients spread over both incident-service instances)",
                    fmt(two) + " cmd/s (p99 " + fmt(get(m, "civharm.scaleout.2.command_latency_p99_ms")) + " ms)",
                    fmt(one) + " cmd/s with 1 instance (p99 " + fmt(get(m, "civharm.scaleout.1.command_latency_p99_ms"))
                            + " ms)", pct(two, one), "", ""));
            double wrong = get(m, "civharm.scaleout.order_violations") + get(m, "civharm.scaleout.view_behind")
                    + get(m, "civharm.scaleout.case_file_duplicates") + get(m, "civharm.scaleout.case_file_missing")
                    + get(m, "civharm.scaleout.assessment_obligations_off");
            rows.add(List.of("scale-out: " + fmt(get(m, "civharm.scaleout.cases_checked")) + " cases of both runs checked "
                            + "(streams contiguous, incident view at stream end, each event once in the case file, one "
                            + "assessment obligation per case)",
                    fmt(get(m, "civharm.scaleout.order_violations")) + " out of order, "
                            + fmt(get(m, "civharm.scaleout.view_behind")) + " views behind, "
                            + fmt(get(m, "civharm.scaleout.case_file_duplicates")) + " duplicated, "
                            + fmt(get(m, "civharm.scaleout.case_file_missing")) + " missing, "
                            + fmt(get(m, "civharm.scaleout.assessment_obligations_off")) + " obligations off",
                    "", "", "all 0", verdict(wrong, v -> v == 0)));
        }
        for (int size : mode.registerSizes) {
            String g = "civharm.growth." + size + ".";
            if (m.containsKey(g + "seeded_cases")) {
                rows.add(List.of("register seed towards " + size + " cases: " + fmt(get(m, g + "seeded_cases"))
                                + " cases appended through incident-service's event store, then the whole system's catch-up",
                        fmt(get(m, g + "seed_events_per_s")) + " events/s appended; " + (Double.isNaN(get(m, g + "seed_catch_up_s"))
                                ? "NOT caught up (deadline, or the seed failed: see the notes)"
                                : "caught up after " + fmt(get(m, g + "seed_catch_up_s")) + " s ("
                                + fmt(get(m, g + "seed_catch_up_events_per_s")) + " events/s)"), "", "", "", ""));
            }
        }
        if (m.containsKey("civharm.rebuild_large.events")) {
            double large = get(m, "civharm.rebuild_large.events_per_s");
            rows.add(List.of("full rebuild of allegation-views at the largest register (" + fmt(get(m, "civharm.rebuild_large.events"))
                            + " events" + (get(m, "civharm.rebuild_large.finished") >= 0.5 ? "" : ", NOT finished") + ")",
                    fmt(large) + " ev/s", fmt(consumer) + " rec/s (consumer)", pct(large, consumer), "≥ 50 %",
                    verdict(large / consumer, r -> r >= 0.5)));
        }
        String cases = fmt(get(m, "civharm.cases_filed"));
        for (String service : SystemUnderTest.SERVICES) {
            double heap = get(m, "civharm.memory.end_of_load." + service + ".heap_mib");
            rows.add(List.of(service + " heap used / after a full GC (RSS) at end of load, " + cases + " bench cases",
                    fmt(heap) + " / " + fmt(get(m, "civharm.memory.end_of_load." + service + ".live_heap_mib")) + " MiB ("
                            + fmt(get(m, "civharm.memory.end_of_load." + service + ".rss_mib")) + " MiB)",
                    "", "", "≤ 512 MiB at 100 k cases",
                    Double.isNaN(heap) ? "NOT MEASURED" : (heap <= 512 ? "PASS" : "FAIL") + " here; 100 k "
                            + (get(m, "civharm.growth.100000.cases_reached") >= 100_000 ? "below" : "NOT MEASURED")));
            for (int size : mode.registerSizes) {
                String k = "civharm.memory.at_" + size + "_cases." + service;
                if (m.containsKey(k + ".heap_mib")) {
                    double h = get(m, k + ".heap_mib");
                    double live = get(m, k + ".live_heap_mib");
                    rows.add(List.of(service + " heap used / after a full GC (RSS) at " + size + " cases (reached "
                                    + fmt(get(m, "civharm.growth." + size + ".cases_reached")) + "; "
                                    + fmt(get(m, "civharm.growth." + size + ".incident_events")) + " incident events)",
                            fmt(h) + " / " + fmt(live) + " MiB (" + fmt(get(m, k + ".rss_mib")) + " MiB)", "", "",
                            "≤ 512 MiB", size < 100_000 ? ""
                                    : get(m, "civharm.growth." + size + ".cases_reached") < size
                                    ? "NOT MEASURED (size not reached)" : verdict(Double.isNaN(live) ? h : live, v -> v <= 512)));
                }
            }
        }
        if (repeat > 1) {
            rows.add(List.of("(every figure is the median of " + repeat + " runs)", "", "", "", "", ""));
        }
        return rows;
    }

    private static double get(Map<String, Double> m, String key) {
        Double v = m.get(key);
        return v == null ? Double.NaN : v;
    }

    private static String verdict(double value, java.util.function.DoublePredicate pass) {
        if (Double.isNaN(value) || Double.isInfinite(value) && value < 0) {
            return "NOT MEASURED";
        }
        return pass.test(value) ? "PASS" : "FAIL";
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return "∞";
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fmt1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pct(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "n/a";
        }
        double p = 100 * a / b;
        return String.format(Locale.ROOT, p < 1 ? "%.2f %%" : p < 10 ? "%.1f %%" : "%.0f %%", p);
    }

    private static String markdown(List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            b.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
            if (i == 0) {
                b.append("|---|---|---|---|---|---|\n");
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ output

    private static void writeJson(Path results, Map<String, Object> doc, Mode mode, int repeat, Instant began,
                                  Map<String, Object> machine, List<Map<String, Double>> runs, List<double[]> growth,
                                  Map<String, Double> growthFigures, List<String> notes, List<Integer> rates,
                                  SystemUnderTest sut) throws IOException {
        doc.put("mode", mode.name);
        doc.put("startedAt", began.toString());
        doc.put("writtenAt", Instant.now().toString());
        doc.put("repeat", repeat);
        doc.put("machine", machine);
        doc.put("system", sut == null ? "not started" : sut.external ? "external Kafka/MongoDB" : "local (LocalSystem)");
        doc.put("offeredRates", rates);
        doc.put("growthEventsPerCase", mode.growthEventsPerCase);
        doc.put("growthBySeed", mode.growthBySeed);
        doc.put("runs", sanitize(runs));
        doc.put("registerGrowth", growth);
        doc.put("growthFigures", sanitize(List.of(growthFigures)).get(0));
        doc.put("notes", notes);
        if (doc.get("medians") instanceof Map<?, ?> medians) {
            @SuppressWarnings("unchecked")
            Map<String, Double> typed = (Map<String, Double>) medians;
            doc.put("medians", sanitize(List.of(typed)).get(0));
        }
        Files.writeString(results.resolve("results.json"), JSON.writeValueAsString(doc));
    }

    /** NaN and infinities as null (JSON has no NaN). */
    private static List<Map<String, Double>> sanitize(List<Map<String, Double>> maps) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (Map<String, Double> m : maps) {
            Map<String, Double> copy = new TreeMap<>();
            m.forEach((k, v) -> copy.put(k, v == null || v.isNaN() || v.isInfinite() ? null : v));
            out.add(copy);
        }
        return out;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    m.put("memory", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        m.put("loadavg_start", loadavg());
        m.put("jvm_uptime_ms", ManagementFactory.getRuntimeMXBean().getUptime());
        return m;
    }

    private static String loadavg() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench: could not delete " + dir + ": " + e);
        }
    }
}
