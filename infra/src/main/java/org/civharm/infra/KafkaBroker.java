package org.civharm.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker (kafka_2.13, the version on this JVM's classpath) run as a separate child
 * JVM from the Maven jars: no download, no Docker.
 *
 * <p>Layout of the data directory:
 * <pre>
 *   server.properties   written on every start (ports may change between runs; the data does not)
 *   cluster.id          the KRaft cluster id, generated once
 *   kraft-logs/         log.dirs: topic data and the metadata log; formatted once, so a restart keeps the records
 *   kafka.log           broker stdout/stderr (unless another log file is given)
 * </pre>
 *
 * <p>Not thread-safe; one owner starts and stops it.
 */
public final class KafkaBroker {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private Path logFile;
    private String classpath = ChildProcess.absoluteClasspath(System.getProperty("java.class.path"));
    private List<String> jvmOptions = List.of("-Xms128m", "-Xmx512m");
    private ChildProcess process;
    private String clusterId;
    private Duration lastStartDuration;

    public KafkaBroker(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = this.dataDir.resolve("kafka.log");
    }

    /** Where the broker's output goes (appended). Default: {@code <dataDir>/kafka.log}. */
    public KafkaBroker logFile(Path file) {
        this.logFile = file.toAbsolutePath();
        return this;
    }

    /** Classpath of the broker JVM. Default: this JVM's {@code java.class.path} (must contain kafka_2.13). */
    public KafkaBroker classpath(String classpath) {
        this.classpath = ChildProcess.absoluteClasspath(classpath);
        return this;
    }

    public KafkaBroker jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public String clusterId() {
        return clusterId;
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** How long the last {@link #start()} took, formatting included. */
    public Duration lastStartDuration() {
        return lastStartDuration;
    }

    /**
     * Writes server.properties, formats the storage if it is not formatted yet, starts the broker and waits until it
     * accepts connections and answers an AdminClient describeCluster (at most {@link #START_TIMEOUT}).
     */
    public KafkaBroker start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("Kafka broker already running (pid " + process.pid() + ")");
        }
        long t0 = System.nanoTime();
        Files.createDirectories(dataDir);
        Path logDirs = dataDir.resolve("kraft-logs");
        Path config = dataDir.resolve("server.properties");
        clusterId = readOrCreateClusterId(logDirs);
        writeServerProperties(config, logDirs);

        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            format(config);
        }

        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                "-cp", classpath,
                "kafka.Kafka", config.toString()));
        process = new ChildProcess("kafka", command, Map.of(), logFile, dataDir).start();
        try {
            awaitReady(t0 + START_TIMEOUT.toNanos());
        } catch (RuntimeException | InterruptedException e) {
            process.kill();
            throw e;
        }
        lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
        return this;
    }

    /**
     * SIGTERM (the broker does a controlled shutdown and flushes its logs), wait up to {@link #STOP_GRACE}, then
     * SIGKILL.
     *
     * @return true if the broker stopped within the grace period
     */
    public boolean stop() {
        return process == null || process.stop(STOP_GRACE);
    }

    /** SIGKILL, no clean shutdown (fault tests). The data stays; the next start recovers the logs. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    private String readOrCreateClusterId(Path logDirs) throws IOException {
        Path idFile = dataDir.resolve("cluster.id");
        if (Files.exists(idFile)) {
            return Files.readString(idFile, StandardCharsets.UTF_8).trim();
        }
        String id = null;
        Path meta = logDirs.resolve("meta.properties");
        if (Files.exists(meta)) {
            // formatted by an earlier run whose cluster.id file is gone: keep the id the storage was formatted with
            Properties props = new Properties();
            try (var in = Files.newInputStream(meta)) {
                props.load(in);
            }
            id = props.getProperty("cluster.id");
        }
        if (id == null) {
            id = Uuid.randomUuid().toString();
        }
        Files.writeString(idFile, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    private void writeServerProperties(Path config, Path logDirs) throws IOException {
        String voters = "1@" + Ports.LOOPBACK + ":" + controllerPort;
        // an array keeps the file in a readable order
        String[][] entries = {
                {"process.roles", "broker,controller"},
                {"node.id", "1"},
                {"controller.quorum.voters", voters},
                {"listeners", "PLAINTEXT://" + Ports.LOOPBACK + ":" + port + ",CONTROLLER://" + Ports.LOOPBACK + ":" + controllerPort},
                {"advertised.listeners", "PLAINTEXT://" + Ports.LOOPBACK + ":" + port},
                {"listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"},
                {"inter.broker.listener.name", "PLAINTEXT"},
                {"controller.listener.names", "CONTROLLER"},
                {"log.dirs", logDirs.toString()},
                {"num.partitions", "6"},
                {"default.replication.factor", "1"},
                {"min.insync.replicas", "1"},
                {"offsets.topic.replication.factor", "1"},
                // a single local broker does not need the default 50 partitions for internal topics
                {"offsets.topic.num.partitions", "6"},
                {"transaction.state.log.replication.factor", "1"},
                {"transaction.state.log.min.isr", "1"},
                {"transaction.state.log.num.partitions", "6"},
                {"group.initial.rebalance.delay.ms", "0"},
                {"auto.create.topics.enable", "true"},
                {"num.recovery.threads.per.data.dir", "1"},
        };
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            out.write("# Written by org.civharm.infra.KafkaBroker on every start; edits are overwritten.\n");
            for (String[] e : entries) {
                out.write(e[0] + "=" + e[1].replace("\\", "\\\\") + "\n");
            }
        }
    }

    private void format(Path config) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(List.of("-Xmx256m", "-cp", classpath,
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()));
        ChildProcess tool = new ChildProcess("kafka-storage-format", command, Map.of(), logFile, dataDir).start();
        int exit = tool.waitFor(Duration.ofSeconds(60));
        if (exit != 0) {
            throw new IllegalStateException("kafka.tools.StorageTool format exited with " + exit + "; log " + logFile
                    + ":\n" + tool.tailLog(30));
        }
    }

    private void awaitReady(long deadlineNanos) throws InterruptedException {
        Duration remaining = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        Ports.awaitPort(port, remaining, process::isAlive, this::failureDetail);

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "civharm-infra-readiness");
        Exception last = null;
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadlineNanos) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with " + process.exitCode().orElse(-1)
                            + "\n" + failureDetail());
                }
                try {
                    DescribeClusterResult cluster = admin.describeCluster();
                    if (!cluster.nodes().get(5, TimeUnit.SECONDS).isEmpty() && cluster.controller().get(5, TimeUnit.SECONDS) != null) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("Kafka broker did not answer describeCluster within " + START_TIMEOUT.toSeconds()
                + " s (last error: " + last + ")\n" + failureDetail());
    }

    private String failureDetail() {
        return "--- last lines of " + logFile + " ---\n" + ChildProcess.tail(logFile, 40);
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", data " + dataDir + "]";
    }

    /** Convenience for callers that cannot throw checked exceptions. */
    public KafkaBroker startUnchecked() {
        try {
            return start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
