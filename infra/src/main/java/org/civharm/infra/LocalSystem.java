package org.civharm.infra;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.civharm.infra.demo.DemoData;
import org.civharm.infra.security.LocalKeys;

/**
 * Runs the whole civharm system on this machine, every server on 127.0.0.1 only:
 * a real KRaft Kafka broker, the Mongo-wire server (H2 file backend) and the three services, each as a child process.
 * Start it with {@code infra/run-local.sh} from anywhere, or with
 * {@code java -cp "$(cat infra/target/classpath.txt)":infra/target/classes org.civharm.infra.LocalSystem} from the
 * repository root (the working directory is taken as the repository root).
 *
 * <p>Environment variables (all optional):
 * <pre>
 *   CIVHARM_DATA_DIR                 data directory (default: &lt;repo&gt;/data); holds kafka/, mongo/, logs/, run/
 *   CIVHARM_KAFKA_PORT               Kafka PLAINTEXT listener           (default 9092)
 *   CIVHARM_KAFKA_CONTROLLER_PORT    Kafka KRaft controller listener    (default 9093)
 *   CIVHARM_MONGO_PORT               Mongo-wire server                  (default 27017)
 *   CIVHARM_INCIDENT_PORT            incident-service HTTP              (default 8081)
 *   CIVHARM_ACCOUNTABILITY_PORT      accountability-service HTTP        (default 8082)
 *   CIVHARM_NOTIFICATION_PORT        notification-service HTTP          (default 8083)
 *   CIVHARM_SERVICE_JAVA_OPTS        extra JVM options for the three services, space-separated (default none;
 *                                    every service always gets -Xmx512m)
 *   CIVHARM_MONGO_HEAP               the Mongo-wire server's -Xmx (default 2g; e.g. 6g for a register of 100 k
 *                                    cases with rebuilt copies beside it)
 * </pre>
 *
 * <p>Each service gets {@code KAFKA_BOOTSTRAP_SERVERS}, {@code MONGODB_URI}, {@code SERVER_PORT},
 * {@code SERVER_ADDRESS=127.0.0.1} and (unless already set) {@code AXONIQ_UPDATE_CHECKER_DISABLED=true} in its
 * environment. Logs: {@code <data>/logs/<name>.log}. The launcher refuses to
 * start if one of its ports is taken. Ctrl-C (or SIGTERM) stops the services in reverse order, then Mongo, then
 * Kafka, each with SIGTERM first.
 */
public final class LocalSystem {

    static final List<String> SERVICES = List.of("incident-service", "accountability-service", "notification-service");
    static final Duration SERVICE_HEALTH_TIMEOUT = Duration.ofSeconds(180);
    static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);

    private final Path repo;
    private final Path dataDir;
    private final Path logDir;
    private final Path runDir;
    private final int kafkaPort;
    private final int kafkaControllerPort;
    private final int mongoPort;
    private final Map<String, Integer> servicePorts;
    private final List<String> serviceJavaOpts;

    private volatile boolean stopping;
    private boolean stopped;
    private KafkaBroker kafka;
    private LocalKeys keys;
    private MongoWireServerProcess mongo;
    private final Map<String, ChildProcess> services = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> extraServiceEnvironment = new LinkedHashMap<>();
    private boolean runFromJarCopies;
    private Path jarCopies;

    /** The system on the given loopback ports; the benchmark harness (its own package) starts one too. */
    public LocalSystem(Path repo, Path dataDir, int kafkaPort, int kafkaControllerPort, int mongoPort,
                       Map<String, Integer> servicePorts, List<String> serviceJavaOpts) {
        this.repo = repo;
        this.dataDir = dataDir;
        this.logDir = dataDir.resolve("logs");
        this.runDir = dataDir.resolve("run");
        this.kafkaPort = kafkaPort;
        this.kafkaControllerPort = kafkaControllerPort;
        this.mongoPort = mongoPort;
        this.servicePorts = servicePorts;
        this.serviceJavaOpts = serviceJavaOpts;
    }

    public static void main(String[] args) {
        // the launcher's own Kafka AdminClient would otherwise print its whole config at INFO
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        long launchedAt = ManagementFactory.getRuntimeMXBean().getStartTime();

        LocalSystem system;
        try {
            system = fromEnvironment(System.getenv());
            system.checkPreconditions();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("civharm: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(system::stopAll, "civharm-shutdown"));

        try {
            system.startAll();
        } catch (Exception e) {
            if (!system.stopping) {
                System.err.println();
                System.err.println("civharm: start-up failed: " + e.getMessage());
                system.stopAll();
                System.exit(1);
            }
            return;
        }

        try {
            DemoData.load(system.serviceBase("incident-service"), system.serviceBase("accountability-service"),
                    system.keys.privateKey());
        } catch (Exception e) {
            System.err.println("civharm: WARNING demo data could not be loaded (the system keeps running): " + e);
            e.printStackTrace();
        }

        system.printSummary(Duration.ofMillis(System.currentTimeMillis() - launchedAt));
        system.watch();
    }

    static LocalSystem fromEnvironment(Map<String, String> env) {
        Path repo = Path.of("").toAbsolutePath();
        Path data = Optional.ofNullable(env.get("CIVHARM_DATA_DIR")).filter(s -> !s.isBlank())
                .map(s -> repo.resolve(s)).orElse(repo.resolve("data")).normalize();
        Map<String, Integer> servicePorts = new LinkedHashMap<>();
        servicePorts.put("incident-service", port(env, "CIVHARM_INCIDENT_PORT", 8081));
        servicePorts.put("accountability-service", port(env, "CIVHARM_ACCOUNTABILITY_PORT", 8082));
        servicePorts.put("notification-service", port(env, "CIVHARM_NOTIFICATION_PORT", 8083));
        List<String> opts = new ArrayList<>();
        String extra = env.getOrDefault("CIVHARM_SERVICE_JAVA_OPTS", "").trim();
        if (!extra.isEmpty()) {
            opts.addAll(List.of(extra.split("\\s+")));
        }
        return new LocalSystem(repo, data,
                port(env, "CIVHARM_KAFKA_PORT", 9092),
                port(env, "CIVHARM_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "CIVHARM_MONGO_PORT", 27017),
                servicePorts, opts);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a TCP port");
        }
    }

    private Map<String, Integer> allPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka (CIVHARM_KAFKA_PORT)", kafkaPort);
        ports.put("Kafka controller (CIVHARM_KAFKA_CONTROLLER_PORT)", kafkaControllerPort);
        ports.put("Mongo-wire server (CIVHARM_MONGO_PORT)", mongoPort);
        servicePorts.forEach((name, port) ->
                ports.put(name + " (CIVHARM_" + name.substring(0, name.indexOf('-')).toUpperCase(Locale.ROOT) + "_PORT)", port));
        return ports;
    }

    /** Built jars present, ports distinct and free. Throws IllegalStateException with a message for the user. */
    public void checkPreconditions() {
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Path jar = jar(service);
            if (!Files.isRegularFile(jar)) {
                problems.add("missing " + jar + " (build first: mvn -B -DskipTests install, or use infra/run-local.sh;"
                        + " the working directory must be the repository root)");
            }
        }
        Map<String, Integer> ports = allPorts();
        if (ports.values().stream().distinct().count() != ports.size()) {
            problems.add("the configured ports are not distinct: " + ports);
        }
        ports.forEach((what, port) -> {
            if (Ports.inUse(port)) {
                problems.add("port " + Ports.LOOPBACK + ":" + port + " for " + what + " is already in use");
            }
        });
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("refusing to start:");
            problems.forEach(p -> message.append("\n  - ").append(p));
            leftovers().ifPresent(l -> message.append("\n").append(l));
            throw new IllegalStateException(message.toString());
        }
    }

    /** Processes of an earlier run whose pid files are still in {@code <data>/run} and that are still alive. */
    private Optional<String> leftovers() {
        if (!Files.isDirectory(runDir)) {
            return Optional.empty();
        }
        List<String> alive = new ArrayList<>();
        try (var files = Files.list(runDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                try {
                    long pid = Long.parseLong(Files.readString(file).trim());
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        String name = file.getFileName().toString().replace(".pid", "");
                        alive.add(name + " pid " + pid);
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // stale or unreadable pid file
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (alive.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("  an earlier civharm run seems to be still running (" + String.join(", ", alive)
                + "); stop it with Ctrl-C in its terminal, or kill those pids");
    }

    public void startAll() throws Exception {
        Files.createDirectories(logDir);
        Files.createDirectories(runDir);
        System.out.println("civharm: data dir " + dataDir);

        // Kafka and Mongo start while holding the lock (each is bounded by its 60 s start timeout), so a Ctrl-C during
        // start-up waits for a consistent state and then stops whatever is running: nothing is left behind.
        synchronized (this) {
            checkNotStopping();
            System.out.print("civharm: starting Kafka on " + Ports.LOOPBACK + ":" + kafkaPort + " ... ");
            System.out.flush();
            kafka = new KafkaBroker(dataDir.resolve("kafka"), kafkaPort, kafkaControllerPort)
                    .logFile(logDir.resolve("kafka.log"));
            kafka.start();
            writePid("kafka", kafka.pid());
            System.out.printf(Locale.ROOT, "up in %.1f s (pid %d)%n", seconds(kafka.lastStartDuration()), kafka.pid());
        }

        synchronized (this) {
            checkNotStopping();
            System.out.print("civharm: starting Mongo-wire server on " + Ports.LOOPBACK + ":" + mongoPort + " ... ");
            System.out.flush();
            mongo = new MongoWireServerProcess(dataDir.resolve("mongo"), mongoPort).logFile(logDir.resolve("mongo.log"));
            mongo.start();
            writePid("mongo", mongo.pid());
            System.out.printf(Locale.ROOT, "up in %.1f s (pid %d)%n", seconds(mongo.lastStartDuration()), mongo.pid());
        }

        keys = LocalKeys.ensure(dataDir);
        if (runFromJarCopies) {
            copyJars();
        }
        long servicesStarted = System.nanoTime();
        for (String service : SERVICES) {
            synchronized (this) {
                checkNotStopping();
                ChildProcess process = new ChildProcess(service, serviceCommand(service), serviceEnvironment(service),
                        logDir.resolve(service + ".log"), repo);
                services.put(service, process);
                process.start();
                writePid(service, process.pid());
            }
            System.out.println("civharm: started " + service + " (pid " + services.get(service).pid() + ") on port "
                    + servicePorts.get(service) + ", log " + logDir.resolve(service + ".log"));
        }
        for (String service : SERVICES) {
            awaitHealthy(service, servicesStarted + SERVICE_HEALTH_TIMEOUT.toNanos());
            System.out.printf(Locale.ROOT, "civharm: %s is UP (%.1f s after the services were started)%n", service,
                    (System.nanoTime() - servicesStarted) / 1e9);
        }
    }

    private void checkNotStopping() {
        if (stopping) {
            throw new IllegalStateException("stopping");
        }
    }

    private List<String> serviceCommand(String service) {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.add("-Xmx512m");
        command.addAll(serviceJavaOpts);
        command.add("-jar");
        command.add(jar(service).toString());
        return command;
    }

    private Map<String, String> serviceEnvironment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", Ports.LOOPBACK + ":" + kafkaPort);
        env.put("MONGODB_URI", "mongodb://" + Ports.LOOPBACK + ":" + mongoPort);
        env.put("SERVER_PORT", Integer.toString(servicePorts.get(service)));
        env.put("SERVER_ADDRESS", Ports.LOOPBACK);
        // the services trust tokens signed by the local key (the same JWT validation as in production)
        env.put("CIVHARM_SECURITY_JWT_PUBLIC_KEY_LOCATION", keys.publicKeyFile().toString());
        // Axon's update checker would phone home (and warn every few seconds on an offline machine); opt out unless
        // the caller decided otherwise
        if (System.getenv("AXONIQ_UPDATE_CHECKER_DISABLED") == null) {
            env.put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        }
        env.putAll(extraServiceEnvironment.getOrDefault(service, Map.of()));
        return env;
    }

    private Path jar(String service) {
        Path built = repo.resolve(service).resolve("target").resolve(service + ".jar");
        return jarCopies == null ? built : jarCopies.resolve(service + ".jar");
    }

    /**
     * Tests: run the services from copies of their jars taken at {@link #startAll()} (in {@code <data>/jars}), so a
     * service restarted by a test runs the same build as at the start even if the module is rebuilt meanwhile (a jar
     * rewritten under a starting JVM fails it with NoClassDefFoundError).
     */
    synchronized LocalSystem runFromJarCopies() {
        runFromJarCopies = true;
        return this;
    }

    private void copyJars() throws IOException {
        Path dir = dataDir.resolve("jars");
        Files.createDirectories(dir);
        for (String service : SERVICES) {
            Path built = repo.resolve(service).resolve("target").resolve(service + ".jar");
            Path copy = dir.resolve(service + ".jar");
            Path partial = dir.resolve(service + ".jar.partial");
            // a jar being rewritten by a build has no central directory yet: copy again until the copy opens
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                Files.copy(built, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (var zip = new java.util.zip.ZipFile(partial.toFile())) {
                    break;
                } catch (IOException incomplete) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException(built + " is not a readable jar: " + incomplete.getMessage(), incomplete);
                    }
                    Ports.sleep(Duration.ofSeconds(2));
                }
            }
            Files.move(partial, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        jarCopies = dir;
    }

    /**
     * Tests: extra environment variables for one service (e.g. a shorter evaluation interval), applied from its next
     * start; call before {@link #startAll()} to have them from the first start.
     */
    synchronized LocalSystem withServiceEnvironment(String service, Map<String, String> extra) {
        extraServiceEnvironment.computeIfAbsent(service, s -> new LinkedHashMap<>()).putAll(extra);
        return this;
    }

    /** Fault tests: {@code kill -9} a service. */
    void killService(String service) {
        services.get(service).kill();
    }

    /**
     * Fault tests: stop a service cleanly (SIGTERM, then SIGKILL after {@link #SERVICE_STOP_GRACE}); its Kafka
     * consumers leave their groups, so the groups' offsets can be changed at once.
     *
     * @return true if it stopped within the grace period
     */
    boolean stopService(String service) {
        return services.get(service).stop(SERVICE_STOP_GRACE);
    }

    /**
     * Fault tests: stop the Mongo-wire server cleanly (SIGTERM: it stops listening and closes its H2 store).
     *
     * @return true if it stopped within its grace period (false: it was killed, and H2 may have lost its last second)
     */
    boolean stopMongo() {
        return mongo.stop();
    }

    /** Fault tests: {@code kill -9} the Mongo-wire server (H2 may lose about its last second of writes). */
    void killMongo() {
        mongo.kill();
    }

    /** Fault tests: start the Mongo-wire server again on the same port with the same store file; waits for the port. */
    void startMongo() throws IOException {
        synchronized (this) {
            checkNotStopping();
            mongo.start();
            writePid("mongo", mongo.pid());
        }
    }

    /** Fault tests: start a service again with the same command and environment, and wait until it is UP. */
    void restartService(String service) throws Exception {
        ChildProcess process;
        synchronized (this) {
            checkNotStopping();
            process = new ChildProcess(service, serviceCommand(service), serviceEnvironment(service),
                    logDir.resolve(service + ".log"), repo);
            services.put(service, process);
            process.start();
            writePid(service, process.pid());
        }
        awaitHealthy(service, System.nanoTime() + SERVICE_HEALTH_TIMEOUT.toNanos());
    }

    /** The running broker (fault tests kill and restart it). */
    KafkaBroker kafka() {
        return kafka;
    }

    String mongoConnectionString() {
        return mongo.connectionString();
    }

    /** The Mongo-wire server process (fault tests: its store file and log). */
    MongoWireServerProcess mongo() {
        return mongo;
    }

    URI serviceBase(String service) {
        return URI.create("http://" + Ports.LOOPBACK + ":" + servicePorts.get(service));
    }

    private void awaitHealthy(String service, long deadlineNanos) throws InterruptedException {
        ChildProcess process = services.get(service);
        URI health = serviceBase(service).resolve("/actuator/health");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ObjectMapper json = new ObjectMapper();
        String lastProblem = "no answer yet";
        while (true) {
            checkNotStopping();
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " exited with code " + process.exitCode().orElse(-1)
                        + " before it was healthy\n" + logTail(process));
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                JsonNode body = response.body().isBlank() ? null : json.readTree(response.body());
                String status = body == null ? "" : body.path("status").asText("");
                if (response.statusCode() == 200 && "UP".equals(status)) {
                    return;
                }
                lastProblem = "HTTP " + response.statusCode() + " status " + (status.isEmpty() ? "?" : status);
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException(service + " was not UP at " + health + " within "
                        + SERVICE_HEALTH_TIMEOUT.toSeconds() + " s (last: " + lastProblem + ")\n" + logTail(process));
            }
            Thread.sleep(1000);
        }
    }

    private static String logTail(ChildProcess process) {
        return "--- last lines of " + process.logFile() + " ---\n" + process.tailLog(60) + "\n--- end of "
                + process.name() + " log ---";
    }

    private void printSummary(Duration launchToReady) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append(String.format(Locale.ROOT, "civharm is up: %.1f s from launch to ready%n",
                seconds(launchToReady)));
        for (String service : SERVICES) {
            URI base = serviceBase(service);
            out.append(String.format(Locale.ROOT, "  %-24s %s%n", service, base));
            out.append(String.format(Locale.ROOT, "  %-24s %s%n", "    Swagger UI", base.resolve("/swagger-ui.html")));
            out.append(String.format(Locale.ROOT, "  %-24s %s%n", "    OpenAPI", base.resolve("/v3/api-docs")));
            out.append(String.format(Locale.ROOT, "  %-24s %s%n", "    health", base.resolve("/actuator/health")));
        }
        out.append(String.format(Locale.ROOT, "  %-24s %s%n", "Kafka bootstrap", kafka.bootstrapServers()));
        out.append(String.format(Locale.ROOT, "  %-24s %s%n", "MongoDB URI", mongo.connectionString()));
        out.append(String.format(Locale.ROOT, "  %-24s %s%n", "data dir", dataDir));
        out.append(String.format(Locale.ROOT, "  %-24s %s%n", "logs", logDir));
        out.append("Every endpoint but health needs a token:  TOKEN=$(infra/mint-token.sh <user> <ROLE>...)\n");
        out.append("  roles: CASEWORKER INVESTIGATOR ACCOUNTABILITY_OFFICER AUDITOR ADMIN PUBLIC\n");
        out.append("  curl -H \"Authorization: Bearer $TOKEN\" " + serviceBase("incident-service").resolve("/allegations") + "\n");
        out.append("Press Ctrl-C to stop.\n");
        System.out.print(out);
        System.out.flush();
    }

    /** Blocks until shutdown; warns once if a child dies on its own. */
    private void watch() {
        Map<String, Boolean> reported = new LinkedHashMap<>();
        while (!stopping) {
            List<Map.Entry<String, Boolean>> checks = new ArrayList<>();
            checks.add(Map.entry("kafka", kafka.isRunning()));
            checks.add(Map.entry("mongo", mongo.isRunning()));
            services.forEach((name, process) -> checks.add(Map.entry(name, process.isAlive())));
            for (Map.Entry<String, Boolean> check : checks) {
                if (!check.getValue() && !stopping && reported.putIfAbsent(check.getKey(), true) == null) {
                    System.err.println("civharm: WARNING " + check.getKey() + " has exited; see "
                            + logDir.resolve(check.getKey() + ".log") + " (Ctrl-C stops the rest)");
                }
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Services in reverse start order, then Mongo, then Kafka; each SIGTERM first. Idempotent. */
    public synchronized void stopAll() {
        stopping = true;
        if (stopped) {
            return;
        }
        stopped = true;
        List<String> reverse = new ArrayList<>(services.keySet());
        Collections.reverse(reverse);
        for (String name : reverse) {
            ChildProcess process = services.get(name);
            if (process.isAlive()) {
                timed("stopping " + name, () -> process.stop(SERVICE_STOP_GRACE));
            }
            deletePid(name);
        }
        if (mongo != null) {
            if (mongo.isRunning()) {
                timed("stopping Mongo-wire server", mongo::stop);
            }
            deletePid("mongo");
        }
        if (kafka != null) {
            if (kafka.isRunning()) {
                timed("stopping Kafka", kafka::stop);
            }
            deletePid("kafka");
        }
        System.out.println("civharm stopped");
        System.out.flush();
    }

    private static void timed(String what, BooleanSupplier stop) {
        System.out.print("civharm: " + what + " ... ");
        System.out.flush();
        long t0 = System.nanoTime();
        boolean clean = stop.getAsBoolean();
        System.out.printf(Locale.ROOT, "%s in %.1f s%n", clean ? "stopped" : "KILLED (did not stop in time)",
                (System.nanoTime() - t0) / 1e9);
    }

    private void writePid(String name, long pid) {
        try {
            Files.writeString(runDir.resolve(name + ".pid"), pid + "\n");
        } catch (IOException e) {
            System.err.println("civharm: cannot write pid file for " + name + ": " + e.getMessage());
        }
    }

    private void deletePid(String name) {
        try {
            Files.deleteIfExists(runDir.resolve(name + ".pid"));
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
