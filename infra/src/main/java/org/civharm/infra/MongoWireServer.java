package org.civharm.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;
import org.civharm.infra.mongo.IndexedH2Backend;

/**
 * A MongoDB wire-protocol server (de.bwaldvogel mongo-java-server) whose data lives in one H2 MVStore file, so a
 * restart keeps what was written. Meant to run as its own process (see {@link MongoWireServerProcess}); the
 * services reach it only through the MongoDB Java driver, exactly as they would reach a real MongoDB.
 *
 * <p>Usage: {@code MongoWireServer <port> <dataDir>}; listens on 127.0.0.1:&lt;port&gt; and stores
 * {@code <dataDir>/civharm.mv}. On SIGTERM/SIGINT a shutdown hook stops listening and closes the H2 store cleanly
 * (H2 itself only auto-commits about once a second, so a SIGKILL may lose the last second of writes).
 *
 * <p>What this server does not do (no transactions, no change streams, ...) is listed in shared/STACK.md.
 */
public final class MongoWireServer {

    /** Printed once the server accepts connections. */
    public static final String READY_LINE = "MongoWireServer ready";
    public static final String STORE_FILE = "civharm.mv";

    private MongoWireServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MongoWireServer <port> <dataDir>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(dataDir);
        Path store = dataDir.resolve(STORE_FILE);

        IndexedH2Backend backend = new IndexedH2Backend(store.toString());
        MongoServer server = new MongoServer(backend);
        try {
            server.bind(Ports.LOOPBACK, port);
        } catch (RuntimeException e) {
            System.out.println("MongoWireServer cannot bind " + Ports.LOOPBACK + ":" + port + ": " + e);
            backend.close();
            System.exit(1);
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("MongoWireServer stopping: closing connections and the H2 store " + store);
            try {
                server.shutdown(); // stops listening, closes cursors and the backend (MVStore.close commits)
                System.out.println("MongoWireServer stopped cleanly");
            } catch (RuntimeException e) {
                System.out.println("MongoWireServer shutdown failed: " + e);
                e.printStackTrace(System.out);
            } finally {
                stopped.countDown();
            }
        }, "mongo-wire-shutdown"));
        System.out.println(READY_LINE + " on mongodb://" + Ports.LOOPBACK + ":" + port + " (H2 store " + store + ")");
        stopped.await();
    }
}
