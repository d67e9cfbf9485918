package org.civharm.infra.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.civharm.infra.ChildProcess;
import org.civharm.infra.LocalSystem;
import org.civharm.infra.Ports;
import org.civharm.infra.security.LocalKeys;

/**
 * The system the benchmark measures. Either everything local, started by {@code org.civharm.infra.LocalSystem} on
 * free loopback ports in a fresh data directory (a real KRaft broker, the Mongo-wire server with its H2 file store
 * and the three service jars, each its own process), or — when both {@code KAFKA_BOOTSTRAP_SERVERS} and
 * {@code MONGODB_URI} are set — an external Kafka and MongoDB, with only the three services started here.
 */
final class SystemUnderTest implements AutoCloseable {

    static final List<String> SERVICES = List.of("incident-service", "accountability-service", "notification-service");

    final Path dataDir;
    final String kafkaBootstrap;
    final String mongoUri;
    final boolean external;
    final PrivateKey signingKey;
    private final Map<String, URI> bases = new LinkedHashMap<>();
    private final Map<String, ChildProcess> ownServices = new LinkedHashMap<>();
    private LocalSystem localSystem;
    /** What a further instance of a service is started from: the jar copies, the JVM options and the signing keys. */
    private Path jars;
    private List<String> javaOpts;
    private LocalKeys keys;

    private SystemUnderTest(Path dataDir, String kafkaBootstrap, String mongoUri, boolean external, PrivateKey key) {
        this.dataDir = dataDir;
        this.kafkaBootstrap = kafkaBootstrap;
        this.mongoUri = mongoUri;
        this.external = external;
        this.signingKey = key;
    }

    static SystemUnderTest start(Path repo, Path dataDir, List<String> serviceJavaOpts) throws Exception {
        String kafka = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        String mongo = System.getenv("MONGODB_URI");
        boolean haveKafka = kafka != null && !kafka.isBlank();
        boolean haveMongo = mongo != null && !mongo.isBlank();
        if (haveKafka != haveMongo) {
            throw new IllegalStateException("set both KAFKA_BOOTSTRAP_SERVERS and MONGODB_URI (external mode), or neither");
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : SERVICES) {
            ports.put(service, Ports.freePort());
        }
        LocalKeys keys = LocalKeys.ensure(dataDir);
        // The services run from copies of their jars: other builds in the same tree may rewrite */target/*.jar while a
        // benchmark runs, and a JVM whose jar is replaced under it fails on its next class load (seen here: the
        // Kafka listener thread of a service died with NoClassDefFoundError).
        repo = snapshotJars(repo, dataDir.resolve("jars"));
        if (haveKafka) {
            SystemUnderTest sut = new SystemUnderTest(dataDir, kafka.trim(), mongo.trim(), true, keys.privateKey());
            sut.remember(repo, serviceJavaOpts, keys);
            Runtime.getRuntime().addShutdownHook(new Thread(sut::close, "bench-shutdown"));
            sut.startInstances(ports, "");
            return sut;
        }
        int kafkaPort = Ports.freePort();
        int controllerPort = Ports.freePort();
        int mongoPort = Ports.freePort();
        LocalSystem system = new LocalSystem(repo, dataDir, kafkaPort, controllerPort, mongoPort, ports,
                serviceJavaOpts);
        SystemUnderTest sut = new SystemUnderTest(dataDir, Ports.LOOPBACK + ":" + kafkaPort,
                "mongodb://" + Ports.LOOPBACK + ":" + mongoPort, false, keys.privateKey());
        sut.localSystem = system;
        sut.remember(repo, serviceJavaOpts, keys);
        ports.forEach((s, p) -> sut.bases.put(s, URI.create("http://" + Ports.LOOPBACK + ":" + p)));
        Runtime.getRuntime().addShutdownHook(new Thread(sut::close, "bench-shutdown"));
        system.checkPreconditions();
        system.startAll();
        return sut;
    }

    /** Copies each service's jar to {@code <into>/<service>/target/<service>.jar}; returns {@code into}. */
    private static Path snapshotJars(Path repo, Path into) throws IOException {
        for (String service : SERVICES) {
            Path jar = repo.resolve(service).resolve("target").resolve(service + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("missing " + jar + " (build first: mvn -B -DskipTests install)");
            }
            Path copy = into.resolve(service).resolve("target").resolve(service + ".jar");
            Files.createDirectories(copy.getParent());
            Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return into;
    }

    private void remember(Path jars, List<String> javaOpts, LocalKeys keys) {
        this.jars = jars;
        this.javaOpts = List.copyOf(javaOpts);
        this.keys = keys;
    }

    /**
     * Starts a second instance of each service against the same Kafka and MongoDB, in the same consumer groups and
     * with the same Axon processors (the scale-out phase). Their names end in {@code -2}.
     */
    void startSecondInstances() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : SERVICES) {
            ports.put(service, Ports.freePort());
        }
        startInstances(ports, "-2");
    }

    /** Stops the second instances (their consumers' partitions and their processors' tokens go back to the first). */
    synchronized void stopSecondInstances() {
        for (String service : SERVICES) {
            ChildProcess p = ownServices.remove(service + "-2");
            bases.remove(service + "-2");
            if (p != null && p.isAlive()) {
                p.stop(Duration.ofSeconds(20));
            }
        }
    }

    /** The base URIs of every running instance of a service: the first, then the second if started. */
    List<URI> instances(String service) {
        List<URI> out = new ArrayList<>(List.of(base(service)));
        if (bases.containsKey(service + "-2")) {
            out.add(base(service + "-2"));
        }
        return out;
    }

    /**
     * Starts one instance of each service as LocalSystem would (external Kafka and MongoDB: the only instances;
     * otherwise the second ones), named {@code <service><suffix>}, and waits until each is UP.
     */
    private void startInstances(Map<String, Integer> ports, String suffix) throws Exception {
        for (String service : SERVICES) {
            launch(service, service + suffix, ports.get(service), List.of());
        }
        for (String service : SERVICES) {
            awaitUp(service + suffix);
        }
    }

    /**
     * Starts one more incident-service instance whose gateway load runner (package {@code org.civharm.incident.bench},
     * active only with these properties) sends commands through Axon's command gateway and writes its figures to
     * {@code report}. Stop it with {@link #stopInstance(String)}.
     */
    String startGatewayLoad(Path report, String casePrefix, int clients, int warmUpSeconds, int seconds) throws Exception {
        String name = "incident-service-gateway";
        launch("incident-service", name, Ports.freePort(), List.of(
                "--civharm.bench.gateway-load.report=" + report,
                "--civharm.bench.gateway-load.case-prefix=" + casePrefix,
                "--civharm.bench.gateway-load.clients=" + clients,
                "--civharm.bench.gateway-load.warm-up-seconds=" + warmUpSeconds,
                "--civharm.bench.gateway-load.seconds=" + seconds));
        return name;
    }

    /**
     * Starts one more incident-service instance whose register seed (package {@code org.civharm.incident.bench},
     * active only with these properties) appends {@code cases} whole cases of {@code eventsPerCase} events through
     * its event store and writes its figures to {@code report}. Stop it with {@link #stopInstance(String)}.
     */
    String startRegisterSeed(Path report, String casePrefix, int cases, int eventsPerCase) throws Exception {
        String name = "incident-service-seed";
        launch("incident-service", name, Ports.freePort(), List.of(
                "--civharm.bench.register-seed.report=" + report,
                "--civharm.bench.register-seed.case-prefix=" + casePrefix,
                "--civharm.bench.register-seed.cases=" + cases,
                "--civharm.bench.register-seed.events-per-case=" + eventsPerCase,
                // its first reads at start-up must wait out a busy store, not fail the phase (full run AH: the
                // Mongo-wire server did not answer its handshake within the services' 5 s)
                "--civharm.mongo.server-selection-timeout=60s"));
        return name;
    }

    /** Whether an instance started here is still running. */
    synchronized boolean alive(String name) {
        ChildProcess p = ownServices.get(name);
        return p != null && p.isAlive();
    }

    /** The last lines of an instance's log. */
    synchronized String tailLog(String name) {
        ChildProcess p = ownServices.get(name);
        return p == null ? "" : p.tailLog(40);
    }

    /** Stops one instance started here. */
    synchronized void stopInstance(String name) {
        ChildProcess p = ownServices.remove(name);
        bases.remove(name);
        if (p != null && p.isAlive()) {
            p.stop(Duration.ofSeconds(20));
        }
    }

    private void launch(String service, String name, int port, List<String> args) throws Exception {
        Path logs = dataDir.resolve("logs");
        Path run = dataDir.resolve("run");
        Files.createDirectories(logs);
        Files.createDirectories(run);
        Path repo = jars;
        Path jar = repo.resolve(service).resolve("target").resolve(service + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + " (build first: mvn -B -DskipTests install)");
        }
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx512m"));
        command.addAll(javaOpts);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        env.put("MONGODB_URI", mongoUri);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SERVER_ADDRESS", Ports.LOOPBACK);
        env.put("CIVHARM_SECURITY_JWT_PUBLIC_KEY_LOCATION", keys.publicKeyFile().toString());
        env.put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        ChildProcess process = new ChildProcess(name, command, env, logs.resolve(name + ".log"), repo);
        synchronized (this) {
            ownServices.put(name, process);
            process.start();
        }
        Files.writeString(run.resolve(name + ".pid"), process.pid() + "\n");
        bases.put(name, URI.create("http://" + Ports.LOOPBACK + ":" + port));
        System.out.println("bench: started " + name + " (pid " + process.pid() + ") against " + kafkaBootstrap
                + " and " + mongoUri);
    }

    private void awaitUp(String name) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            ChildProcess process = ownServices.get(name);
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited:\n" + process.tailLog(40));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base(name).resolve("/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    break;
                }
            } catch (IOException ignored) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not UP within 180 s:\n" + process.tailLog(40));
            }
            Thread.sleep(1000);
        }
        System.out.println("bench: " + name + " is UP");
    }

    URI base(String service) {
        return bases.get(service);
    }

    /** The service's process id, from {@code <data>/run/<service>.pid}. */
    Optional<Long> pid(String service) {
        try {
            return Optional.of(Long.parseLong(Files.readString(dataDir.resolve("run").resolve(service + ".pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        // further instances first, while the broker and the store they use are still up
        List<String> reverse = new ArrayList<>(ownServices.keySet());
        java.util.Collections.reverse(reverse);
        for (String service : reverse) {
            ChildProcess p = ownServices.remove(service);
            if (p != null && p.isAlive()) {
                p.stop(Duration.ofSeconds(20));
            }
        }
        if (localSystem != null) {
            LocalSystem system = localSystem;
            localSystem = null;
            try {
                system.stopAll();
            } catch (RuntimeException e) {
                System.err.println("bench: stopping the local system failed: " + e);
            }
        }
    }
}
