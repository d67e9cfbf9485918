package org.civharm.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link MongoWireServer} (H2 file backend) as a separate child JVM on 127.0.0.1:&lt;port&gt; and waits until
 * it accepts connections.
 *
 * <p>Data directory layout: {@code civharm.mv} (the H2 store; delete it to reset) and {@code mongo.log} (unless
 * another log file is given).
 */
public final class MongoWireServerProcess {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path dataDir;
    private final int port;
    private Path logFile;
    private String classpath = ChildProcess.absoluteClasspath(System.getProperty("java.class.path"));
    // 2 GiB: an in-memory index per indexed field (IndexedH2Backend), roughly 150 bytes per document and field, which a
    // register of 100 k cases (~300 k events) would fill 512 MiB with, and H2's page cache (256 MB, IndexedH2Backend).
    // 8 MB heap regions: with G1's default for 2 GiB (1 MB), every allocation of 512 KB or more is humongous, and G1
    // answers one with a concurrent cycle whenever the old generation is above its threshold. In full run N the
    // server spent 0.45 of its 1.26 cores in G1's threads, with 268 concurrent cycles in its first 16 minutes (the
    // last one caused by a humongous allocation).
    // CIVHARM_MONGO_HEAP raises the heap for a larger register: in full benchmark run Q the rebuild at 100 k cases
    // (the register plus every earlier phase's data and the rebuilds' kept copies) filled 2 GiB.
    private List<String> jvmOptions = List.of("-Xms64m", "-Xmx" + heap(System.getenv("CIVHARM_MONGO_HEAP")),
            "-XX:G1HeapRegionSize=8m");

    /** The server's -Xmx: {@code CIVHARM_MONGO_HEAP} (e.g. 4g, 6144m) when set, else 2g. */
    static String heap(String configured) {
        if (configured == null || configured.isBlank()) {
            return "2g";
        }
        if (!configured.trim().matches("[1-9][0-9]*[mMgG]")) {
            throw new IllegalArgumentException("CIVHARM_MONGO_HEAP must look like 4g or 6144m, not '" + configured + "'");
        }
        return configured.trim();
    }
    private ChildProcess process;
    private Duration lastStartDuration;

    public MongoWireServerProcess(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
        this.logFile = this.dataDir.resolve("mongo.log");
    }

    public MongoWireServerProcess logFile(Path file) {
        this.logFile = file.toAbsolutePath();
        return this;
    }

    /** Classpath of the server JVM. Default: this JVM's {@code java.class.path} (must contain this module's classes). */
    public MongoWireServerProcess classpath(String classpath) {
        this.classpath = ChildProcess.absoluteClasspath(classpath);
        return this;
    }

    public MongoWireServerProcess jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    public String connectionString() {
        return "mongodb://" + Ports.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path storeFile() {
        return dataDir.resolve(MongoWireServer.STORE_FILE);
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public Duration lastStartDuration() {
        return lastStartDuration;
    }

    public MongoWireServerProcess start() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("Mongo-wire server already running (pid " + process.pid() + ")");
        }
        long t0 = System.nanoTime();
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                "-cp", classpath,
                MongoWireServer.class.getName(), Integer.toString(port), dataDir.toString()));
        process = new ChildProcess("mongo", command, Map.of(), logFile, dataDir).start();
        try {
            Ports.awaitPort(port, START_TIMEOUT, process::isAlive,
                    () -> "--- last lines of " + logFile + " ---\n" + process.tailLog(40));
            // the port opens right after the H2 store is open; give the server a moment to finish wiring up
            Ports.sleep(Duration.ofMillis(200));
        } catch (RuntimeException e) {
            process.kill();
            throw e;
        }
        lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
        return this;
    }

    /** SIGTERM (closes the H2 store cleanly), wait up to {@link #STOP_GRACE}, then SIGKILL. */
    public boolean stop() {
        return process == null || process.stop(STOP_GRACE);
    }

    /** SIGKILL (fault tests): H2 may lose up to about a second of writes. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public String toString() {
        return "MongoWireServerProcess[" + connectionString() + ", store " + storeFile() + "]";
    }
}
