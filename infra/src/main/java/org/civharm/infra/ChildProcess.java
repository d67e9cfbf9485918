package org.civharm.infra;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One child process of the local system (a JVM: the Kafka broker, the Mongo-wire server or a service), with its
 * stdout and stderr appended to one log file.
 *
 * <p>On Linux the child is started through {@code setsid} (which execs, so the pid stays the JVM's) so that it gets
 * its own session: a Ctrl-C in the terminal then reaches only the launcher, whose shutdown hook stops the children
 * in order (services, then Mongo, then Kafka) instead of every process receiving SIGINT at once.
 */
public final class ChildProcess {

    private static final Optional<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
            .filter(Files::isExecutable).findFirst();

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private final Path workingDir;
    private volatile Process process;

    public ChildProcess(String name, List<String> command, Map<String, String> environment, Path logFile, Path workingDir) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.workingDir = workingDir;
    }

    /** The {@code java} executable of the running JVM, so children run on the same Java as the launcher. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The classpath with every entry made absolute (against the current working directory), so that a child started
     * in another directory still finds relative entries such as {@code infra/target/classes}.
     */
    public static String absoluteClasspath(String classpath) {
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    public synchronized ChildProcess start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        // logs are appended across runs; mark where this run begins
        Files.writeString(logFile, "===== " + OffsetDateTime.now() + " starting " + name + " =====\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<String> full = new ArrayList<>();
        SETSID.ifPresent(p -> full.add(p.toString()));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Exit code, or empty while running (or never started). */
    public Optional<Integer> exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? Optional.empty() : Optional.of(p.exitValue());
    }

    /** Waits for the process to end on its own (used for one-shot tools such as Kafka's StorageTool). */
    public int waitFor(Duration timeout) throws InterruptedException {
        Process p = process;
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s");
        }
        return p.exitValue();
    }

    /**
     * SIGTERM, then wait up to {@code grace}, then SIGKILL.
     *
     * @return true if the process ended within the grace period (a clean stop)
     */
    public boolean stop(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return true;
        }
        p.destroy();
        try {
            if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        return false;
    }

    /** SIGKILL without waiting for a clean shutdown (fault tests). Waits until the process is gone. */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of the log file (reads at most the last 64 KiB). */
    public String tailLog(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = Math.max(0, length - 64 * 1024);
            byte[] bytes = new byte[(int) (length - from)];
            raf.seek(from);
            raf.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            int start = Math.max(0, all.length - lines);
            return String.join(System.lineSeparator(), Arrays.copyOfRange(all, start, all.length));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + (process == null ? " (not started)" : " (pid " + process.pid() + ")");
    }
}
