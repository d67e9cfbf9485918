package org.civharm.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Loopback port helpers. Every server of the local system listens on 127.0.0.1 only. */
public final class Ports {

    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /** A port that was free on 127.0.0.1 a moment ago (for tests). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if something accepts connections on 127.0.0.1:port or the port cannot be bound there. */
    public static boolean inUse(int port) {
        if (accepts(port, Duration.ofMillis(300))) {
            return true;
        }
        try (ServerSocket socket = new ServerSocket()) {
            // as the servers themselves do: connections lingering in TIME_WAIT must not count as "in use"
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** True if a TCP connection to 127.0.0.1:port succeeds within the timeout. */
    public static boolean accepts(int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until 127.0.0.1:port accepts connections. Fails early if {@code alive} turns false (the server died).
     */
    public static void awaitPort(int port, Duration timeout, BooleanSupplier alive, Supplier<String> failureDetail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("process died before port " + port + " opened\n" + failureDetail.get());
            }
            if (accepts(port, Duration.ofMillis(500))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("port " + port + " did not open within " + timeout.toSeconds() + " s\n"
                        + failureDetail.get());
            }
            sleep(Duration.ofMillis(200));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
