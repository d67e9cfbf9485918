package org.civharm.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.infra.security.LocalKeys;
import org.civharm.infra.security.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults injected into the real processes (standalone broker, Mongo-wire server with its file store, the three
 * service jars) in the middle of a load of commands, one test per fault:
 * <ul>
 *   <li>duplicate and out-of-order deliveries: records of both topics re-sent in shuffled order (same key, headers,
 *       value), and the consumer groups of accountability- and notification-service reset to offset 0 — views,
 *       obligations and alerts must be exactly what they were before;</li>
 *   <li>poison records (malformed JSON, an unknown event type, a newer contract version) on a case key of their own —
 *       every other case completes and each consuming service lists the records it set aside;</li>
 *   <li>the broker killed ({@code kill -9}) and restarted;</li>
 *   <li>the Mongo-wire server stopped and started again on the same port and store file — commands during the outage
 *       get 503 with Retry-After and leave nothing half-applied;</li>
 *   <li>incident-service killed mid-publish and mid-projection, restarted;</li>
 *   <li>accountability-service killed mid-projection, restarted.</li>
 * </ul>
 * After each: every event in every event store is on Kafka, views and obligations match the stores exactly, every
 * case stream is contiguous, nothing is duplicated in a view, no alert is raised twice, no 5xx (other than 503 with
 * Retry-After during the store outage). One summary table for all faults is printed at the end and written to
 * {@code infra/target/faults-summary.md}; a test fails if lost, duplicated in views, duplicate alerts or 5xx is not 0.
 * Short form by default ({@code civharm.faults.cases}, 150 cases per fault); the long form is the same test with more
 * cases (see infra/README.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsUnderLoadTest {

    static {
        // this JVM's own Kafka clients would print their whole configuration at INFO, dozens of times
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }

    private static final int CASES = Integer.getInteger("civharm.faults.cases", 150);
    private static final String ACCOUNTABILITY_GROUP = "accountability-service";
    private static final String NOTIFICATION_GROUP = "notification-service";
    private static final List<String> CONSUMED_TOPICS = List.of(Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS);
    private static final Pattern PARKING = Pattern.compile("(?i).*(park|dead|held|letter).*");
    private static final String HEADER = "| fault | faults injected | commands | events produced | events in stores "
            + "| events on Kafka | lost | duplicated in views | duplicate alerts | 5xx | notes |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|\n";
    /** One row per fault, across every test of the class, printed (and written to a file) at the end. */
    private static final List<String> ROWS = Collections.synchronizedList(new ArrayList<>());
    private static final Path SUMMARY_FILE = Path.of("target", "faults-summary.md");
    /** Where the processes' logs are kept when a fault test failed (the data directory itself is deleted). */
    private static final Path FAILED_LOGS = Path.of("target", "faults-logs");
    private static volatile boolean anyFailed;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private Path data;
    private LocalSystem system;
    private String token;
    private MongoClient mongo;
    private Admin admin;
    private long suiteStarted;

    @BeforeAll
    void start() throws Exception {
        suiteStarted = System.nanoTime();
        ROWS.clear();
        data = Files.createTempDirectory("civharm-faults");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Map<String, Integer> ports = new LinkedHashMap<>();
        LocalSystem.SERVICES.forEach(s -> ports.put(s, Ports.freePort()));
        system = new LocalSystem(repo, data, Ports.freePort(), Ports.freePort(), Ports.freePort(), ports, List.of());
        // overdue obligations get their alerts within seconds (default 30 s), so "settled" is reached quickly
        system.withServiceEnvironment("notification-service", Map.of("CIVHARM_ALERT_EVALUATE_INTERVAL", "3s"));
        // restarts run the build the suite started with, whatever is rebuilt meanwhile
        system.runFromJarCopies();
        system.checkPreconditions();
        system.startAll();
        token = "Bearer " + Tokens.mint(LocalKeys.ensure(data).privateKey(), "fault.tester",
                List.of("CASEWORKER", "AUDITOR", "ADMIN"), Duration.ofHours(1));
        mongo = MongoClients.create(system.mongoConnectionString());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000));
    }

    @AfterAll
    void stop() throws Exception {
        String table = summaryTable();
        System.out.printf("%n%s%n", table);
        writeSummary(table);
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (mongo != null) {
            mongo.close();
        }
        if (system != null) {
            system.stopAll();
        }
        if (anyFailed && Files.isDirectory(data.resolve("logs"))) {
            Files.createDirectories(FAILED_LOGS);
            try (var logs = Files.list(data.resolve("logs"))) {
                for (Path log : logs.toList()) {
                    Files.copy(log, FAILED_LOGS.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.out.println("logs of the processes kept in " + FAILED_LOGS.toAbsolutePath());
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private String summaryTable() {
        List<String> rows;
        synchronized (ROWS) {
            rows = List.copyOf(ROWS);
        }
        return String.format(Locale.ROOT, "Faults under load: %d cases per fault, suite %.0f s so far%n%n%s%s%n",
                CASES, (System.nanoTime() - suiteStarted) / 1e9, HEADER, String.join("\n", rows));
    }

    private void writeSummary(String table) {
        try {
            Files.createDirectories(SUMMARY_FILE.toAbsolutePath().getParent());
            Files.writeString(SUMMARY_FILE, "# Fault suite summary\n\n" + table);
        } catch (IOException e) {
            System.err.println("cannot write " + SUMMARY_FILE.toAbsolutePath() + ": " + e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The faults
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void duplicateAndOutOfOrderDeliveriesAndConsumerGroupsResetToZero() throws Exception {
        underLoad("duplicate + out-of-order deliveries; consumer groups reset to offset 0",
                load -> {
                    int resent = resendShuffled(load.run);
                    load.injected.addAndGet(resent);
                    load.note(resent + " records re-sent shuffled mid-load");
                },
                load -> {
                    // a settled baseline, then more duplicates and both consumer groups from offset 0 again
                    awaitConverged(load);
                    Map<String, String> before = settledSnapshot(load.run);
                    int resent = resendShuffled(load.run);
                    load.injected.addAndGet(resent);
                    resetConsumerGroupsToBeginning(load);
                    awaitCaughtUp(List.of(ACCOUNTABILITY_GROUP, NOTIFICATION_GROUP), Duration.ofSeconds(400));
                    awaitConverged(load);
                    Map<String, String> after = settledSnapshot(load.run);
                    List<String> changes = differences(before, after);
                    load.note(resent + " more re-sent after the baseline; both groups replayed from 0; "
                            + before.size() + " view/store documents compared, " + changes.size() + " changed");
                    if (!changes.isEmpty()) {
                        load.problem("views changed by duplicate/out-of-order/replayed deliveries ("
                                + changes.size() + "): " + changes.subList(0, Math.min(8, changes.size())));
                        load.changedViews = changes.size();
                    }
                });
    }

    @Test
    @Order(2)
    void poisonRecordsOnOneCaseKeyDoNotStallOtherCases() throws Exception {
        String poisonKey = "POISON-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Long> parkedBefore = parkedTotals();
        underLoad("poison records (malformed JSON, unknown type, contract v2) on one case key",
                load -> {
                    int sent = sendPoison(load.run, poisonKey);
                    load.injected.addAndGet(sent);
                },
                load -> {
                    Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
                    Map<String, Long> withKey = parkedWithKey(poisonKey);
                    Map<String, Long> totals = parkedTotals();
                    while (Instant.now().isBefore(deadline) && !(withKey.get("accountability") > 0
                            && withKey.get("notification") > 0 && totals.get("accountability") > parkedBefore.get("accountability")
                            && totals.get("notification") > parkedBefore.get("notification"))) {
                        Thread.sleep(1000);
                        withKey = parkedWithKey(poisonKey);
                        totals = parkedTotals();
                    }
                    String listing = notificationListing(poisonKey);
                    load.note("set aside for " + poisonKey + ": accountability " + withKey.get("accountability")
                            + ", notification " + withKey.get("notification") + " (" + listing + ")");
                    if (withKey.get("accountability") == 0 || totals.get("accountability") <= parkedBefore.get("accountability")) {
                        load.problem("accountability-service did not park/list the poison records of " + poisonKey
                                + " (parked documents before " + parkedBefore + ", after " + totals + ")");
                    }
                    if (withKey.get("notification") == 0 || totals.get("notification") <= parkedBefore.get("notification")) {
                        load.problem("notification-service did not park/list the poison records of " + poisonKey
                                + " (parked documents before " + parkedBefore + ", after " + totals + ")");
                    }
                    if (listing.startsWith("not listed")) {
                        load.problem("notification-service's parked/dead-letter endpoint does not list " + poisonKey
                                + ": " + listing);
                    }
                });
    }

    @Test
    @Order(3)
    void brokerKilledAndRestartedUnderLoad() throws Exception {
        underLoad("broker kill -9 + restart", load -> {
            system.kafka().kill();
            load.injected.incrementAndGet();
            Thread.sleep(3000); // the outage: producers and consumers see the broker gone for a while
            system.kafka().start();
        }, null);
    }

    @Test
    @Order(6)
    void mongoWireServerRestartedOnTheSameStoreUnderLoad() throws Exception {
        underLoad("Mongo-wire server stopped + started (same port, same store file)", load -> {
            boolean clean = system.stopMongo();
            load.injected.incrementAndGet();
            load.note(clean ? "store closed cleanly" : "store did NOT stop within its grace period (killed)");
            // keep it down until commands have been refused (each client then waits Retry-After), bounded
            int before = load.unavailable.get();
            Instant until = Instant.now().plusSeconds(60);
            while (load.unavailable.get() < before + 4 && Instant.now().isBefore(until)) {
                Thread.sleep(200);
            }
            system.startMongo();
        }, load -> {
            if (load.unavailable.get() == 0) {
                load.problem("no command was answered 503 + Retry-After while the store was down");
            }
        });
    }

    @Test
    @Order(4)
    void incidentServiceKilledMidPublishAndRestarted() throws Exception {
        underLoad("incident-service kill -9 + restart", load -> {
            system.killService("incident-service");
            load.injected.incrementAndGet();
            system.restartService("incident-service");
        }, null);
    }

    @Test
    @Order(5)
    void accountabilityServiceKilledMidProjectionAndRestarted() throws Exception {
        underLoad("accountability-service kill -9 + restart", load -> {
            system.killService("accountability-service");
            load.injected.incrementAndGet();
            system.restartService("accountability-service");
        }, null);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Load, convergence, the checks and the table row
    // ---------------------------------------------------------------------------------------------------------------

    private interface Step {
        void run(Load load) throws Exception;
    }

    /** What one fault test saw. */
    private static final class Load {
        final String name;
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final long started = System.nanoTime();
        final AtomicInteger injected = new AtomicInteger();
        final AtomicInteger commands = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger conflicts = new AtomicInteger();
        /** 503 with Retry-After: the store is down, nothing was recorded, the client retries later. */
        final AtomicInteger unavailable = new AtomicInteger();
        /** every other 5xx (503 without Retry-After included) */
        final AtomicInteger serverErrors = new AtomicInteger();
        final AtomicInteger unexpected = new AtomicInteger();
        /** a command refused with 503 whose retry then found it applied (409) */
        final AtomicInteger halfApplied = new AtomicInteger();
        /** 409 to a command's first attempt: every command of the load is new, so it was applied yet refused */
        final AtomicInteger firstAttemptConflicts = new AtomicInteger();
        final List<String> notes = Collections.synchronizedList(new ArrayList<>());
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        int changedViews;

        Load(String name) {
            this.name = name;
        }

        String prefix() {
            return "^FAULT-" + run + "-";
        }

        void note(String note) {
            notes.add(note);
        }

        void problem(String problem) {
            problems.add(problem);
        }
    }

    private void underLoad(String faultName, Step fault, Step afterLoad) throws Exception {
        Load load = new Load(faultName);
        boolean rowAdded = false;
        try {
            runLoad(load, fault);
            awaitConverged(load);
            if (afterLoad != null) {
                afterLoad.run(load);
            }
            awaitSettled(load);
            Measured m = measure(load);
            ROWS.add(m.row);
            rowAdded = true;
            writeSummary(summaryTable());
            System.out.println(faultName + ": " + m.row);
            List<String> failures = new ArrayList<>();
            if (m.lost != 0) {
                failures.add("events lost: " + m.lost);
            }
            if (m.duplicatedInViews != 0) {
                failures.add("duplicated in views: " + m.duplicatedInViews);
            }
            if (m.duplicateAlerts != 0) {
                failures.add("duplicate alerts: " + m.duplicateAlerts);
            }
            if (load.serverErrors.get() != 0) {
                failures.add("5xx responses (other than 503 with Retry-After): " + load.serverErrors.get());
            }
            failures.addAll(load.problems);
            failures.forEach(f -> System.out.println(faultName + ": FAILURE " + f));
            assertThat(failures).as(faultName + ": lost, duplicated in views, duplicate alerts and 5xx must be 0, "
                    + "and views, obligations and streams must match the stores").isEmpty();
        } catch (Throwable t) {
            anyFailed = true;
            if (!rowAdded) {
                String message = String.valueOf(t.getMessage()).replace('\n', ' ').replace('|', '/');
                ROWS.add(String.format("| %s | %d | %d | FAILED before measuring: %s | | | | | | %d | %s |", faultName,
                        load.injected.get(), load.commands.get(),
                        message.length() > 300 ? message.substring(0, 300) : message, load.serverErrors.get(),
                        String.join("; ", load.notes)));
                writeSummary(summaryTable());
            }
            throw t;
        }
    }

    private void runLoad(Load load, Step fault) throws Exception {
        URI incident = system.serviceBase("incident-service");
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            Future<?> injected = null;
            for (int i = 0; i < CASES; i++) {
                String caseId = "FAULT-" + load.run + "-" + i;
                boolean acknowledge = i % 2 == 0;
                work.add(clients.submit(() -> {
                    send(load, incident.resolve("/allegations"), filing(caseId));
                    if (acknowledge) {
                        send(load, incident.resolve("/allegations/" + caseId + "/assessments"), acknowledgement());
                    }
                    return null;
                }));
                if (i == CASES / 3) {
                    // the fault, while commands keep arriving (clients retry a service that is down)
                    injected = clients.submit(() -> {
                        fault.run(load);
                        return null;
                    });
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
            if (injected != null) {
                injected.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** Waits (bounded) until every stored event is on Kafka and every view and obligation has caught up. */
    private void awaitConverged(Load load) throws InterruptedException {
        int acknowledged = (CASES + 1) / 2;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (true) {
            long incidentEvents = countEvents("civharm_incident", load);
            Set<String> onKafka = readTopic(Topics.INCIDENT_EVENTS, load.run, null).eventIds;
            Map<String, Long> counts = viewCounts(load.run);
            long accountabilityEvents = countEvents("civharm_accountability", load);
            boolean done = onKafka.size() >= incidentEvents && counts.get("incident summaries") >= CASES
                    && counts.get("accountability records") >= acknowledged
                    && counts.get("assessment obligations") >= CASES
                    && counts.get("accountability case copies") >= CASES
                    && counts.get("case-file entries") >= incidentEvents + accountabilityEvents;
            if (done || Instant.now().isAfter(deadline)) {
                return;
            }
            Thread.sleep(2000);
        }
    }

    private record Measured(String row, long lost, long duplicatedInViews, long duplicateAlerts) {
    }

    private Measured measure(Load load) {
        int acknowledged = (CASES + 1) / 2;
        long expectedIncidentEvents = CASES + acknowledged;
        MongoDatabase incidentDb = mongo.getDatabase("civharm_incident");
        MongoDatabase accountabilityDb = mongo.getDatabase("civharm_accountability");
        MongoDatabase notificationDb = mongo.getDatabase("civharm_notification");

        // the stores: every accepted command stored exactly once, each case stream 0..n-1 without gaps
        Map<String, List<Long>> streams = new TreeMap<>();
        Set<String> incidentIds = new HashSet<>();
        incidentDb.getCollection("domainevents").find(Filters.regex("aggregateIdentifier", load.prefix())).forEach(d -> {
            streams.computeIfAbsent(d.getString("aggregateIdentifier"), k -> new ArrayList<>())
                    .add(((Number) d.get("sequenceNumber")).longValue());
            incidentIds.add(d.getString("eventIdentifier"));
        });
        long incidentEvents = streams.values().stream().mapToLong(List::size).sum();
        long brokenStreams = 0;
        for (int i = 0; i < CASES; i++) {
            List<Long> seqs = new ArrayList<>(streams.getOrDefault("FAULT-" + load.run + "-" + i, List.of()));
            Collections.sort(seqs);
            int expected = i % 2 == 0 ? 2 : 1;
            List<Long> contiguous = new ArrayList<>();
            for (long s = 0; s < expected; s++) {
                contiguous.add(s);
            }
            if (!seqs.equals(contiguous)) {
                brokenStreams++;
                if (brokenStreams <= 5) {
                    load.problem("case FAULT-" + load.run + "-" + i + " stream " + seqs + ", expected " + contiguous);
                }
            }
        }
        if (incidentEvents != expectedIncidentEvents) {
            load.problem("incident store holds " + incidentEvents + " events of the run, accepted commands "
                    + expectedIncidentEvents);
        }
        long acceptedCommands = load.accepted.get() + load.conflicts.get() - load.halfApplied.get();
        if (acceptedCommands != incidentEvents) {
            load.problem(incidentEvents + " events stored but " + acceptedCommands + " commands accepted");
        }
        Set<String> accountabilityIds = new HashSet<>();
        accountabilityDb.getCollection("domainevents").find(Filters.regex("aggregateIdentifier", load.prefix()))
                .forEach(d -> accountabilityIds.add(d.getString("eventIdentifier")));

        // Kafka: every stored event's id there (read until the accountability side has caught up, bounded)
        KafkaRead incidentOnKafka = readTopic(Topics.INCIDENT_EVENTS, load.run, null);
        KafkaRead accountabilityOnKafka = readTopic(Topics.ACCOUNTABILITY_EVENTS, load.run, null);
        for (int attempt = 0; attempt < 20 && !accountabilityOnKafka.eventIds.containsAll(accountabilityIds); attempt++) {
            accountabilityOnKafka = readTopic(Topics.ACCOUNTABILITY_EVENTS, load.run, null);
        }
        long lost = missing(incidentIds, incidentOnKafka.eventIds) + missing(accountabilityIds, accountabilityOnKafka.eventIds);
        if (lost > 0) {
            Set<String> onKafka = new HashSet<>(incidentOnKafka.eventIds);
            onKafka.addAll(accountabilityOnKafka.eventIds);
            for (String database : List.of("civharm_incident", "civharm_accountability")) {
                mongo.getDatabase(database).getCollection("domainevents").find(Filters.regex("aggregateIdentifier", load.prefix()))
                        .forEach(d -> {
                            if (!onKafka.contains(d.getString("eventIdentifier"))) {
                                load.problem("stored, not on Kafka: " + database + " " + d.getString("aggregateIdentifier")
                                        + "#" + d.get("sequenceNumber") + " " + d.getString("payloadType") + " id "
                                        + d.getString("eventIdentifier") + " timestamp " + d.get("timestamp"));
                            }
                        });
            }
        }
        long notInStore = missing(incidentOnKafka.eventIds, incidentIds) + missing(accountabilityOnKafka.eventIds, accountabilityIds);
        if (notInStore > 0) {
            load.problem(notInStore + " event ids on Kafka are in no event store");
        }

        // views: exact counts, nothing twice
        Map<String, Long> counts = viewCounts(load.run);
        expectCount(load, counts, "incident summaries", CASES);
        expectCount(load, counts, "accountability case copies", CASES);
        expectCount(load, counts, "accountability records", acknowledged);
        expectCount(load, counts, "assessment obligations", CASES);
        expectCount(load, counts, "case-file entries", incidentEvents + accountabilityIds.size());
        long duplicatedInViews = duplicates(incidentDb, "allegation_summaries", "_id", load)
                + duplicates(accountabilityDb, "accountability_records", "_id", load)
                + duplicates(accountabilityDb, "incident_cases", "_id", load)
                + duplicates(accountabilityDb, "timeline", "_id", load)
                + duplicates(notificationDb, "obligations", "_id", load)
                + duplicates(notificationDb, "alerts", "_id", load)
                + openedTwice(accountabilityDb, load)
                + load.changedViews;
        long duplicateAlerts = duplicateAlerts(notificationDb, load);

        List<String> notes = new ArrayList<>();
        if (load.unavailable.get() > 0 || load.name.contains("Mongo")) {
            notes.add(load.unavailable.get() + " × 503 with Retry-After, " + load.halfApplied.get() + " half-applied");
        }
        if (brokenStreams > 0) {
            notes.add(brokenStreams + " case streams not contiguous");
        }
        if (load.firstAttemptConflicts.get() > 0) {
            notes.add(load.firstAttemptConflicts.get() + " × 409 to a new command's first attempt (stored, yet answered conflict)");
        }
        notes.addAll(load.notes);
        notes.add(String.format(Locale.ROOT, "views %s; %.0f s", counts, (System.nanoTime() - load.started) / 1e9));
        if (!load.problems.isEmpty()) {
            notes.add("PROBLEMS: " + load.problems.size());
        }
        String row = String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d distinct (%d records) | %d | %d | %d | %d | %s |",
                load.name, load.injected.get(), load.commands.get(), expectedIncidentEvents + accountabilityIds.size(),
                incidentEvents + accountabilityIds.size(),
                incidentOnKafka.eventIds.size() + accountabilityOnKafka.eventIds.size(),
                incidentOnKafka.records + accountabilityOnKafka.records, lost, duplicatedInViews, duplicateAlerts,
                load.serverErrors.get(), String.join("; ", notes).replace('|', '/'));
        return new Measured(row, lost, duplicatedInViews, duplicateAlerts);
    }

    private static long missing(Set<String> expected, Set<String> in) {
        return expected.stream().filter(id -> !in.contains(id)).count();
    }

    private static void expectCount(Load load, Map<String, Long> counts, String view, long expected) {
        if (counts.get(view) != expected) {
            load.problem(view + ": " + counts.get(view) + ", expected " + expected);
        }
    }

    private long countEvents(String database, Load load) {
        return mongo.getDatabase(database).getCollection("domainevents")
                .countDocuments(Filters.regex("aggregateIdentifier", load.prefix()));
    }

    private Map<String, Long> viewCounts(String run) {
        MongoDatabase incidentDb = mongo.getDatabase("civharm_incident");
        MongoDatabase accountabilityDb = mongo.getDatabase("civharm_accountability");
        MongoDatabase notificationDb = mongo.getDatabase("civharm_notification");
        String prefix = "^FAULT-" + run + "-";
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("incident summaries", live(incidentDb, "allegation_summaries").countDocuments(Filters.regex("_id", prefix)));
        counts.put("accountability case copies", live(accountabilityDb, "incident_cases")
                .countDocuments(Filters.regex("_id", prefix)));
        counts.put("accountability records", live(accountabilityDb, "accountability_records")
                .countDocuments(Filters.regex("_id", prefix)));
        counts.put("case-file entries", live(accountabilityDb, "timeline").countDocuments(Filters.regex("caseId", prefix)));
        counts.put("assessment obligations", live(notificationDb, "obligations")
                .countDocuments(Filters.regex("_id", prefix + "[0-9]+:assessment-due:")));
        counts.put("alerts", live(notificationDb, "alerts").countDocuments(Filters.regex("_id", prefix)));
        return counts;
    }

    /** The live collection of a view: named by its pointer in {@code view_pointers}, or the view's own name. */
    private static com.mongodb.client.MongoCollection<Document> live(MongoDatabase db, String view) {
        return db.getCollection(liveName(db, view));
    }

    private static String liveName(MongoDatabase db, String view) {
        Document pointer = db.getCollection("view_pointers").find(Filters.eq("_id", view)).first();
        return pointer == null || pointer.getString("collection") == null ? view : pointer.getString("collection");
    }

    /** Documents of a view sharing one key (impossible with _id as the key; counted to prove it). */
    private static long duplicates(MongoDatabase db, String view, String key, Load load) {
        Map<Object, Integer> seen = new HashMap<>();
        live(db, view).find(Filters.regex(key, load.prefix())).forEach(d -> seen.merge(d.get(key), 1, Integer::sum));
        return seen.values().stream().filter(n -> n > 1).count();
    }

    /** Accountability streams with more than one opening event. */
    private static long openedTwice(MongoDatabase accountabilityDb, Load load) {
        Map<String, Integer> openings = new HashMap<>();
        accountabilityDb.getCollection("domainevents").find(Filters.and(Filters.regex("aggregateIdentifier", load.prefix()),
                        Filters.regex("payloadType", "AccountabilityRecordOpened")))
                .forEach(d -> openings.merge(d.getString("aggregateIdentifier"), 1, Integer::sum));
        return openings.values().stream().filter(n -> n > 1).count();
    }

    /**
     * Alerts raised more than once: distinct AlertRaised events published for the run's cases beyond the number of
     * alerts the service holds (one per overdue obligation; the alert's id is the obligation's). A re-sent record of
     * the same event is not a second alert.
     */
    private long duplicateAlerts(MongoDatabase notificationDb, Load load) {
        long alerts = live(notificationDb, "alerts").countDocuments(Filters.regex("_id", load.prefix()));
        KafkaRead raised = readTopic(Topics.ALERT_EVENTS, load.run, "AlertRaised");
        Map<String, Integer> perAlert = new HashMap<>();
        raised.alertOfEvent.values().forEach(alert -> perAlert.merge(alert, 1, Integer::sum));
        long raisedTwice = perAlert.values().stream().filter(n -> n > 1).count();
        return Math.max(Math.max(0, raised.eventIds.size() - alerts), raisedTwice);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The client
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Sends a command as a client would: while the service is down (connection refused or reset) it retries; on 503
     * it waits Retry-After and retries. A retry whose first attempt was stored before a crash is refused with 409
     * (already filed / already assessed), which counts as done — unless the attempt before was answered 503, which
     * promised that nothing was recorded: that is a half-applied command.
     */
    private void send(Load load, URI uri, Map<String, Object> body) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(240);
        boolean uncertain = false;
        boolean refused = false;
        boolean first = true;
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                                .header("Authorization", token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException unreachable) {
                if (Instant.now().isAfter(giveUp)) {
                    throw unreachable;
                }
                uncertain = true; // the request may or may not have been handled
                Thread.sleep(500);
                continue;
            }
            load.commands.incrementAndGet();
            int status = response.statusCode();
            boolean firstAttempt = first && !uncertain;
            first = false;
            if (status == 201) {
                load.accepted.incrementAndGet();
                return;
            }
            if (status == 409) {
                load.conflicts.incrementAndGet();
                if (firstAttempt) {
                    load.firstAttemptConflicts.incrementAndGet();
                    System.out.println("409 to the first attempt of a new command " + uri + ": " + abbreviate(response.body()));
                }
                if (refused && !uncertain) {
                    load.halfApplied.incrementAndGet();
                    load.problem("409 after a 503 on " + uri + ": the refused command had been applied: " + response.body());
                }
                return;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException(uri + " still answers " + status + " after 240 s: " + response.body());
            }
            var retryAfter = response.headers().firstValue("Retry-After");
            if (status == 503 && retryAfter.isPresent()) {
                load.unavailable.incrementAndGet();
                refused = true;
                uncertain = false;
                Thread.sleep(1000L * Math.min(10, Math.max(1, parseSeconds(retryAfter.get()))));
                continue;
            }
            if (status >= 500) {
                load.serverErrors.incrementAndGet();
                load.problem(status + " (no Retry-After: " + retryAfter.isEmpty() + ") from " + uri + ": "
                        + abbreviate(response.body()));
                uncertain = true; // a 5xx promises nothing about what was recorded
                Thread.sleep(1000);
                continue;
            }
            load.unexpected.incrementAndGet();
            load.problem("unexpected " + status + " from " + uri + ": " + abbreviate(response.body()));
            return;
        }
    }

    private static int parseSeconds(String retryAfter) {
        try {
            return Integer.parseInt(retryAfter.trim());
        } catch (NumberFormatException httpDate) {
            return 1;
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private Map<String, Object> filing(String caseId) throws Exception {
        JsonNode demo = json.readTree(getClass().getResourceAsStream("/demo/civharm-demo.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = json.convertValue(demo.get("cases").get(0).get("allegation"), Map.class);
        body.put("caseId", caseId);
        return body;
    }

    private Map<String, Object> acknowledgement() throws Exception {
        JsonNode demo = json.readTree(getClass().getResourceAsStream("/demo/civharm-demo.json"));
        JsonNode steps = demo.get("cases").get(0).get("incidentSteps");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = json.convertValue(steps.get(steps.size() - 1).get("body"), Map.class);
        return body;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Kafka
    // ---------------------------------------------------------------------------------------------------------------

    /** @param alertOfEvent for the alert topic: each distinct AlertRaised event id and the alert it raised */
    private record KafkaRead(Set<String> eventIds, long records, Map<String, String> alertOfEvent,
                             List<ConsumerRecord<String, String>> all) {
    }

    /** The run's records of a topic (keys starting with FAULT-&lt;run&gt;), optionally of one event type. */
    private KafkaRead readTopic(String topic, String run, String type) {
        Set<String> ids = new HashSet<>();
        Map<String, String> alertOfEvent = new HashMap<>();
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        long records = 0;
        for (ConsumerRecord<String, String> r : readAll(topic)) {
            Header typeHeader = r.headers().lastHeader(EventHeaders.EVENT_TYPE);
            Header idHeader = r.headers().lastHeader(EventHeaders.EVENT_ID);
            boolean typeMatches = type == null || (typeHeader != null && type.equals(new String(typeHeader.value(),
                    StandardCharsets.UTF_8)));
            if (r.key() != null && r.key().startsWith("FAULT-" + run + "-") && typeMatches && idHeader != null) {
                records++;
                String eventId = new String(idHeader.value(), StandardCharsets.UTF_8);
                ids.add(eventId);
                all.add(r);
                if (Topics.ALERT_EVENTS.equals(topic)) {
                    alertOfEvent.put(eventId, alertIdOf(r.value()));
                }
            }
        }
        return new KafkaRead(ids, records, alertOfEvent, all);
    }

    private String alertIdOf(String value) {
        try {
            JsonNode envelope = json.readTree(value);
            JsonNode event = envelope.path("event");
            for (String field : List.of("alertId", "obligationId")) {
                if (event.hasNonNull(field)) {
                    return event.get(field).asText();
                }
            }
            return envelope.path("eventId").asText();
        } catch (IOException e) {
            return value;
        }
    }

    /** Every record of a topic from offset 0 to its end as it was when the read began. */
    private List<ConsumerRecord<String, String>> readAll(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            Instant stop = Instant.now().plusSeconds(60);
            while (partitions.isEmpty() && Instant.now().isBefore(stop)) {
                try {
                    consumer.partitionsFor(topic, Duration.ofSeconds(10))
                            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                } catch (org.apache.kafka.common.errors.TimeoutException notYet) {
                    // broker restarting; try again
                }
            }
            if (partitions.isEmpty()) {
                return out;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (Instant.now().isBefore(stop)
                    && partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /**
     * Re-sends every record of the run found on the incident and accountability topics, shuffled (so a case's events
     * arrive again out of order), with the same key, headers and value.
     */
    private int resendShuffled(String run) throws Exception {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (String topic : CONSUMED_TOPICS) {
            records.addAll(readTopic(topic, run, null).all);
        }
        Collections.shuffle(records, new Random(run.hashCode()));
        try (KafkaProducer<String, String> producer = producer()) {
            List<Future<?>> sent = new ArrayList<>();
            for (ConsumerRecord<String, String> r : records) {
                List<Header> headers = new ArrayList<>();
                r.headers().forEach(h -> headers.add(new RecordHeader(h.key(), h.value())));
                sent.add(producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), headers)));
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return records.size();
    }

    /**
     * Stops accountability- and notification-service cleanly (their consumers leave their groups), moves both groups'
     * committed offsets on both consumed topics back to the beginning, and starts the services again.
     */
    private void resetConsumerGroupsToBeginning(Load load) throws Exception {
        List<String> services = List.of("accountability-service", "notification-service");
        for (String service : services) {
            if (!system.stopService(service)) {
                load.note(service + " did not stop within its grace period (killed)");
            }
        }
        Map<TopicPartition, OffsetSpec> earliestSpec = new HashMap<>();
        for (String topic : CONSUMED_TOPICS) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> earliestSpec.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest()));
        }
        Map<TopicPartition, OffsetAndMetadata> beginning = new HashMap<>();
        admin.listOffsets(earliestSpec).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> beginning.put(tp, new OffsetAndMetadata(info.offset())));
        for (String group : List.of(ACCOUNTABILITY_GROUP, NOTIFICATION_GROUP)) {
            awaitCondition("consumer group " + group + " empty", Duration.ofSeconds(90), () -> {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group);
                return d.members().isEmpty() && d.state() != ConsumerGroupState.DEAD;
            });
            admin.alterConsumerGroupOffsets(group, beginning).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> now = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            for (TopicPartition tp : beginning.keySet()) {
                assertThat(now.get(tp)).as(group + " offset of " + tp + " after the reset").isNotNull();
                assertThat(now.get(tp).offset()).as(group + " offset of " + tp).isEqualTo(beginning.get(tp).offset());
            }
            load.injected.incrementAndGet();
        }
        // start both again, side by side (each waits until it is UP)
        ExecutorService starts = Executors.newFixedThreadPool(services.size());
        try {
            List<Future<?>> started = new ArrayList<>();
            for (String service : services) {
                started.add(starts.submit(() -> {
                    system.restartService(service);
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get(300, TimeUnit.SECONDS);
            }
        } finally {
            starts.shutdownNow();
        }
    }

    /**
     * Waits until nothing is still on its way, so that what is measured is the final state: both consumer groups have
     * committed the end of both topics, and notification-service has raised every overdue obligation's alert and
     * queued its deliveries (counting alerts while they are still being raised compares a moving figure). Not settling
     * within the time allowed is itself a failure: something stalled.
     */
    private void awaitSettled(Load load) {
        Duration timeout = Duration.ofSeconds(Math.max(180, CASES / 4));
        MongoDatabase notificationDb = mongo.getDatabase("civharm_notification");
        try {
            awaitCaughtUp(List.of(ACCOUNTABILITY_GROUP, NOTIFICATION_GROUP), timeout);
            awaitCondition("every overdue obligation of the run alerted and its deliveries queued", timeout, () ->
                    live(notificationDb, "obligations").countDocuments(Filters.and(Filters.regex("_id", load.prefix()),
                            Filters.eq("state", "OVERDUE"), Filters.eq("alertRaised", false))) == 0
                            && notificationDb.getCollection("alerts").countDocuments(Filters.and(
                            Filters.regex("_id", load.prefix()), Filters.eq("outboxPending", true))) == 0);
        } catch (Exception | AssertionError e) {
            load.problem("did not settle: " + e.getMessage());
        }
    }

    /** Waits until each group has committed offsets at the end of every partition of both consumed topics. */
    private void awaitCaughtUp(List<String> groups, Duration timeout) throws Exception {
        Map<TopicPartition, OffsetSpec> latestSpec = new HashMap<>();
        for (String topic : CONSUMED_TOPICS) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latestSpec.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        }
        for (String group : groups) {
            awaitCondition("consumer group " + group + " caught up", timeout, () -> {
                Map<TopicPartition, Long> end = new HashMap<>();
                admin.listOffsets(latestSpec).all().get(30, TimeUnit.SECONDS).forEach((tp, i) -> end.put(tp, i.offset()));
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
            });
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitCondition(String what, Duration timeout, Condition condition) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views before/after
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Every document of the run in every collection of the three databases (event stores, views, obligations,
     * alerts), keyed by database/view/_id, as JSON. A view rebuilt behind a pointer is read from its live collection.
     */
    private Map<String, String> snapshot(String run) {
        String prefix = "^FAULT-" + run + "-";
        Bson ofRun = Filters.or(Filters.regex("_id", prefix), Filters.regex("caseId", prefix),
                Filters.regex("aggregateIdentifier", prefix), Filters.regex("key", prefix));
        Map<String, String> docs = new TreeMap<>();
        for (String database : List.of("civharm_incident", "civharm_accountability", "civharm_notification")) {
            MongoDatabase db = mongo.getDatabase(database);
            Map<String, String> liveToView = new HashMap<>();
            db.getCollection("view_pointers").find().forEach(p -> {
                if (p.getString("collection") != null) {
                    liveToView.put(p.getString("collection"), String.valueOf(p.get("_id")));
                }
            });
            for (String collection : db.listCollectionNames()) {
                if (collection.equals("view_pointers") || collection.startsWith("system.")) {
                    continue;
                }
                String view = liveToView.getOrDefault(collection, collection);
                boolean staleCopy = !liveToView.containsKey(collection) && liveToView.values().stream()
                        .anyMatch(v -> collection.startsWith(v) && !collection.equals(v));
                if (staleCopy || (liveToView.containsValue(collection) && !liveToView.containsKey(collection))) {
                    continue; // a replaced or half-built copy of a view, not what readers see
                }
                db.getCollection(collection).find(ofRun).forEach(d ->
                        docs.put(database + "/" + view + "/" + d.get("_id"), d.toJson()));
            }
        }
        return docs;
    }

    /**
     * A snapshot once nothing has changed for a while: longer than several runs of notification-service's evaluation
     * (3 s here), so overdue obligations have their alerts and queued notifications are delivered.
     */
    private Map<String, String> settledSnapshot(String run) throws InterruptedException {
        Duration quiet = Duration.ofSeconds(12);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
        Map<String, String> last = snapshot(run);
        Instant unchangedSince = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(2000);
            Map<String, String> now = snapshot(run);
            if (!now.equals(last)) {
                last = now;
                unchangedSince = Instant.now();
            } else if (Duration.between(unchangedSince, Instant.now()).compareTo(quiet) >= 0) {
                return now;
            }
        }
        throw new AssertionError("the run's documents kept changing for 240 s");
    }

    private static List<String> differences(Map<String, String> before, Map<String, String> after) {
        List<String> out = new ArrayList<>();
        for (var e : before.entrySet()) {
            String now = after.get(e.getKey());
            if (now == null) {
                out.add("gone: " + e.getKey());
            } else if (!now.equals(e.getValue())) {
                out.add("changed: " + e.getKey() + " from " + abbreviate(e.getValue()) + " to " + abbreviate(now));
            }
        }
        for (String key : after.keySet()) {
            if (!before.containsKey(key)) {
                out.add("new: " + key + " " + abbreviate(after.get(key)));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Poison records
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Three records the consumers cannot use, all keyed by {@code poisonKey} (a case with no other record): malformed
     * JSON, a well-formed envelope of an unknown event type, and a record of a newer contract version whose event
     * changed shape (occurredAt became an object). The last is made from a real AllegationFiled of the run.
     */
    private int sendPoison(String run, String poisonKey) throws Exception {
        ConsumerRecord<String, String> filed = null;
        Instant until = Instant.now().plusSeconds(90);
        while (filed == null && Instant.now().isBefore(until)) {
            List<ConsumerRecord<String, String>> found = readTopic(Topics.INCIDENT_EVENTS, run, "AllegationFiled").all;
            filed = found.isEmpty() ? null : found.get(0);
        }
        assertThat(filed).as("an AllegationFiled of the run on the topic to make the v2 record from").isNotNull();

        String now = Instant.now().toString();
        String malformedId = UUID.randomUUID().toString();
        String malformed = "{\"eventId\":\"" + malformedId + "\",\"eventType\":\"AllegationFiled\",\"contractVersion\":1,"
                + "\"caseId\":\"" + poisonKey + "\",\"sequence\":0,\"event\":{\"type\":\"AllegationFiled\",\"caseId\":";

        String unknownId = UUID.randomUUID().toString();
        ObjectNode unknown = json.createObjectNode();
        unknown.put("eventId", unknownId).put("eventType", "AllegationTeleported").put("contractVersion", 1)
                .put("caseId", poisonKey).put("sequence", 1).put("producedBy", "incident-service").put("recordedAt", now);
        unknown.putObject("event").put("type", "AllegationTeleported").put("caseId", poisonKey)
                .put("actor", "fault.tester").put("occurredAt", now).put("recordedAt", now).put("to", "elsewhere");

        String newerId = UUID.randomUUID().toString();
        ObjectNode newer = (ObjectNode) json.readTree(filed.value());
        newer.put("eventId", newerId).put("contractVersion", 2).put("caseId", poisonKey).put("sequence", 2);
        ObjectNode event = (ObjectNode) newer.get("event");
        event.put("caseId", poisonKey);
        JsonNode occurredAt = event.get("occurredAt");
        ObjectNode reshaped = event.putObject("occurredAt"); // v2: an instant with its precision
        reshaped.set("instant", occurredAt);
        reshaped.put("precision", "DAY");
        event.putObject("provenance").put("source", "contract v2 field");

        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(poison(poisonKey, malformedId, "AllegationFiled", "1", malformed)).get(60, TimeUnit.SECONDS);
            producer.send(poison(poisonKey, unknownId, "AllegationTeleported", "1", json.writeValueAsString(unknown)))
                    .get(60, TimeUnit.SECONDS);
            producer.send(poison(poisonKey, newerId, "AllegationFiled", "2", json.writeValueAsString(newer)))
                    .get(60, TimeUnit.SECONDS);
        }
        return 3;
    }

    private static ProducerRecord<String, String> poison(String key, String eventId, String type, String version,
                                                         String value) {
        List<Header> headers = List.of(
                new RecordHeader(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(EventHeaders.CONTRACT_VERSION, version.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(Topics.INCIDENT_EVENTS, null, key, value, headers);
    }

    /**
     * Documents in each consuming service's parking collections (parked records, dead letters, held records — by
     * name, so either the first parking or the sequenced dead letters are found).
     */
    private Map<String, Long> parkedTotals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("accountability", parked(mongo.getDatabase("civharm_accountability"), null));
        totals.put("notification", parked(mongo.getDatabase("civharm_notification"), null));
        return totals;
    }

    private Map<String, Long> parkedWithKey(String key) {
        Map<String, Long> found = new LinkedHashMap<>();
        found.put("accountability", parked(mongo.getDatabase("civharm_accountability"), key));
        found.put("notification", parked(mongo.getDatabase("civharm_notification"), key));
        return found;
    }

    private static long parked(MongoDatabase db, String key) {
        long n = 0;
        for (String collection : db.listCollectionNames()) {
            if (!PARKING.matcher(collection).matches()) {
                continue;
            }
            for (Document d : db.getCollection(collection).find()) {
                if (key == null || d.toJson().contains(key)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Where notification-service lists the poison key's records: its dead-letter endpoint, or /parked-records. */
    private String notificationListing(String key) throws Exception {
        URI base = system.serviceBase("notification-service");
        HttpResponse<String> deadLetters = get(base.resolve("/admin/dead-letters/"
                + URLEncoder.encode(key, StandardCharsets.UTF_8)));
        if (deadLetters.statusCode() == 200 && deadLetters.body().contains(key)) {
            return "listed at /admin/dead-letters/" + key;
        }
        for (int page = 0; page < 20; page++) {
            HttpResponse<String> parked = get(base.resolve("/parked-records?size=100&page=" + page));
            if (parked.statusCode() != 200) {
                return "not listed (/admin/dead-letters " + deadLetters.statusCode() + ", /parked-records "
                        + parked.statusCode() + ")";
            }
            if (parked.body().contains(key)) {
                return "listed at /parked-records";
            }
            if (json.readTree(parked.body()).path("items").isEmpty()) {
                break;
            }
        }
        return "not listed (/admin/dead-letters " + deadLetters.statusCode() + ", not in /parked-records)";
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
