package org.civharm.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.civharm.infra.security.LocalKeys;
import org.civharm.infra.security.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults injected into the real processes (standalone broker, Mongo-wire server with its file store, the three
 * service jars) in the middle of a load of commands: the broker killed ({@code kill -9}) and restarted;
 * incident-service killed mid-publish and mid-projection and restarted; accountability-service killed mid-projection
 * and restarted. After each: every event in every event store is on Kafka, views and obligations match the stores
 * exactly, nothing is duplicated in a view, no alert is raised twice, no 5xx. Prints the summary table and fails if
 * lost, duplicated in views, duplicate alerts or 5xx is not 0. Short form by default ({@code civharm.faults.cases},
 * 150 cases per fault); the long form is the same test with more cases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsUnderLoadTest {

    private static final int CASES = Integer.getInteger("civharm.faults.cases", 150);
    private static final Pattern FAULT_CASE = Pattern.compile("^FAULT-");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private Path data;
    private LocalSystem system;
    private String token;
    private final List<String> table = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("civharm-faults");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Map<String, Integer> ports = new LinkedHashMap<>();
        LocalSystem.SERVICES.forEach(s -> ports.put(s, Ports.freePort()));
        system = new LocalSystem(repo, data, Ports.freePort(), Ports.freePort(), Ports.freePort(), ports, List.of());
        system.checkPreconditions();
        system.startAll();
        token = "Bearer " + Tokens.mint(LocalKeys.ensure(data).privateKey(), "fault.tester",
                List.of("CASEWORKER", "AUDITOR", "ADMIN"), Duration.ofHours(1));
    }

    @AfterAll
    void stop() throws Exception {
        System.out.printf("%n| fault | commands | events produced | events in stores | events on Kafka | lost "
                + "| duplicated in views | duplicate alerts | 5xx |%n|---|---|---|---|---|---|---|---|---|%n%s%n",
                String.join("\n", table));
        if (system != null) {
            system.stopAll();
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void brokerKilledAndRestartedUnderLoad() throws Exception {
        underLoad("broker kill -9 + restart", () -> {
            system.kafka().kill();
            Thread.sleep(3000);
            system.kafka().start();
        });
    }

    @Test
    void incidentServiceKilledMidPublishAndRestarted() throws Exception {
        underLoad("incident-service kill -9 + restart", () -> {
            system.killService("incident-service");
            Thread.sleep(1000);
            system.restartService("incident-service");
        });
    }

    @Test
    void accountabilityServiceKilledMidProjectionAndRestarted() throws Exception {
        underLoad("accountability-service kill -9 + restart", () -> {
            system.killService("accountability-service");
            Thread.sleep(1000);
            system.restartService("accountability-service");
        });
    }

    private interface Fault {
        void inject() throws Exception;
    }

    private void underLoad(String faultName, Fault fault) throws Exception {
        {
            URI incident = system.serviceBase("incident-service");
            String run = UUID.randomUUID().toString().substring(0, 8);

            AtomicInteger commands = new AtomicInteger();
            AtomicInteger serverErrors = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                String caseId = "FAULT-" + run + "-" + i;
                boolean acknowledge = i % 2 == 0;
                work.add(clients.submit(() -> {
                    send(incident.resolve("/allegations"), filing(caseId), token, commands, serverErrors);
                    if (acknowledge) {
                        send(incident.resolve("/allegations/" + caseId + "/assessments"), acknowledgement(), token,
                                commands, serverErrors);
                    }
                    return null;
                }));
                if (i == CASES / 3) {
                    // the fault, while commands keep arriving (clients retry a service that is down)
                    clients.submit(() -> {
                        fault.inject();
                        return null;
                    });
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
            clients.shutdown();

            int acknowledged = (CASES + 1) / 2;
            long incidentEvents;
            Set<String> onKafka;
            long kafkaRecords;
            try (MongoClient mongo = MongoClients.create(system.mongoConnectionString())) {
                MongoDatabase incidentDb = mongo.getDatabase("civharm_incident");
                MongoDatabase accountabilityDb = mongo.getDatabase("civharm_accountability");
                MongoDatabase notificationDb = mongo.getDatabase("civharm_notification");
                incidentEvents = incidentDb.getCollection("domainevents")
                        .countDocuments(Filters.regex("aggregateIdentifier", "^FAULT-" + run));
                assertThat(incidentEvents).isEqualTo(CASES + acknowledged);

                // Converge: every stored event on Kafka, every view and obligation caught up (bounded wait).
                Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
                Map<String, Long> counts;
                do {
                    Thread.sleep(2000);
                    KafkaRead read = readTopic(system.kafka().bootstrapServers(), "civharm.incident.events.v1", run);
                    onKafka = read.eventIds;
                    kafkaRecords = read.records;
                    counts = viewCounts(incidentDb, accountabilityDb, notificationDb, run);
                } while (Instant.now().isBefore(deadline) && (onKafka.size() < incidentEvents
                        || counts.get("incident summaries") < CASES || counts.get("accountability records") < acknowledged
                        || counts.get("assessment obligations") < CASES));

                long accountabilityEvents = accountabilityDb.getCollection("domainevents")
                        .countDocuments(Filters.regex("aggregateIdentifier", "^FAULT-" + run));
                Set<String> accountabilityOnKafka = Set.of();
                for (int attempt = 0; attempt < 30 && accountabilityOnKafka.size() < accountabilityEvents; attempt++) {
                    accountabilityOnKafka = readTopic(system.kafka().bootstrapServers(), "civharm.accountability.events.v1",
                            run).eventIds();
                }
                long lost = (incidentEvents - onKafka.size()) + (accountabilityEvents - accountabilityOnKafka.size());
                long duplicatedInViews = duplicates(incidentDb.getCollection(currentSummaries(incidentDb)), run)
                        + duplicates(accountabilityDb.getCollection("accountability_records"), run)
                        + openedTwice(accountabilityDb, run);
                long duplicateAlerts = duplicateAlerts(notificationDb, system.kafka().bootstrapServers(), run);
                table.add(String.format("| %s | %d | %d | %d | %d distinct (%d records) | %d | %d | %d | %d |",
                        faultName, commands.get(), CASES + acknowledged + accountabilityEvents, incidentEvents + accountabilityEvents,
                        onKafka.size() + accountabilityOnKafka.size(), kafkaRecords + accountabilityOnKafka.size(), lost,
                        duplicatedInViews, duplicateAlerts, serverErrors.get()));
                System.out.println(faultName + ": " + table.get(table.size() - 1) + " views " + counts);
                assertThat(lost).as("events lost").isZero();
                assertThat(duplicatedInViews).as("duplicated in views").isZero();
                assertThat(duplicateAlerts).as("duplicate alerts").isZero();
                assertThat(serverErrors.get()).as("5xx responses").isZero();
                assertThat(counts.get("incident summaries")).isEqualTo(CASES);
                assertThat(counts.get("accountability records")).isEqualTo(acknowledged);
                assertThat(counts.get("assessment obligations")).isEqualTo(CASES);
            }
        }
    }

    private Map<String, Long> viewCounts(MongoDatabase incidentDb, MongoDatabase accountabilityDb,
                                         MongoDatabase notificationDb, String run) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("incident summaries", incidentDb.getCollection(currentSummaries(incidentDb))
                .countDocuments(Filters.regex("_id", "^FAULT-" + run)));
        counts.put("accountability records", accountabilityDb.getCollection("accountability_records")
                .countDocuments(Filters.regex("_id", "^FAULT-" + run)));
        counts.put("assessment obligations", notificationDb.getCollection("obligations")
                .countDocuments(Filters.regex("_id", "^FAULT-" + run + "-[0-9]+:assessment-due:")));
        counts.put("alerts", notificationDb.getCollection("alerts").countDocuments(Filters.regex("_id", "^FAULT-" + run)));
        return counts;
    }

    private static String currentSummaries(MongoDatabase incidentDb) {
        Document pointer = incidentDb.getCollection("view_pointers").find(Filters.eq("_id", "allegation_summaries")).first();
        return pointer == null ? "allegation_summaries" : pointer.getString("collection");
    }

    /** Documents of a view sharing one case id (impossible with _id = case id; counted to prove it). */
    private static long duplicates(com.mongodb.client.MongoCollection<Document> view, String run) {
        Map<Object, Integer> seen = new HashMap<>();
        view.find(Filters.regex("_id", "^FAULT-" + run)).forEach(d -> seen.merge(d.get("_id"), 1, Integer::sum));
        return seen.values().stream().filter(n -> n > 1).count();
    }

    /** Accountability streams with more than one opening event. */
    private static long openedTwice(MongoDatabase accountabilityDb, String run) {
        Map<String, Integer> openings = new HashMap<>();
        accountabilityDb.getCollection("domainevents").find(Filters.and(Filters.regex("aggregateIdentifier", "^FAULT-" + run),
                        Filters.regex("payloadType", "AccountabilityRecordOpened")))
                .forEach(d -> openings.merge(d.getString("aggregateIdentifier"), 1, Integer::sum));
        return openings.values().stream().filter(n -> n > 1).count();
    }

    /**
     * Alerts raised more than once: distinct AlertRaised events published for the run's cases beyond the number of
     * alerts the service holds (one per overdue obligation). A re-sent record of the same event is not a second alert.
     */
    private long duplicateAlerts(MongoDatabase notificationDb, String bootstrap, String run) {
        long alerts = notificationDb.getCollection("alerts").countDocuments(Filters.regex("_id", "^FAULT-" + run));
        KafkaRead raised = readTopic(bootstrap, "civharm.notification.alerts.v1", run, "AlertRaised");
        return Math.max(0, raised.eventIds().size() - alerts);
    }

    private record KafkaRead(Set<String> eventIds, long records) {
    }

    private KafkaRead readTopic(String bootstrap, String topic, String run) {
        return readTopic(bootstrap, topic, run, null);
    }

    private KafkaRead readTopic(String bootstrap, String topic, String run, String type) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "fault-check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        Set<String> ids = new HashSet<>();
        long records = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            int emptyPolls = 0;
            Instant stop = Instant.now().plusSeconds(30);
            while (emptyPolls < 4 && Instant.now().isBefore(stop)) {
                var batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty()) {
                    emptyPolls++;
                }
                for (var r : batch) {
                    boolean typeMatches = type == null || type.equals(new String(r.headers().lastHeader("civharm-event-type").value()));
                    if (r.key() != null && r.key().startsWith("FAULT-" + run) && typeMatches) {
                        records++;
                        ids.add(new String(r.headers().lastHeader("civharm-event-id").value()));
                    }
                }
            }
        }
        return new KafkaRead(ids, records);
    }

    /**
     * Sends a command as a client would: while the service is down (connection refused or reset) it retries; a retry
     * whose first attempt was stored before the crash is refused with 409 (already filed / already assessed), which
     * counts as done.
     */
    private void send(URI uri, Map<String, Object> body, String token, AtomicInteger commands, AtomicInteger serverErrors)
            throws Exception {
        Instant giveUp = Instant.now().plusSeconds(180);
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                        .header("Authorization", token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException unreachable) {
                if (Instant.now().isAfter(giveUp)) {
                    throw unreachable;
                }
                Thread.sleep(500);
                continue;
            }
            commands.incrementAndGet();
            if (response.statusCode() >= 500) {
                serverErrors.incrementAndGet();
            }
            assertThat(response.statusCode()).as(uri + ": " + response.body()).isIn(201, 409);
            return;
        }
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
}
