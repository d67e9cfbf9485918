package org.civharm.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

/** The H2-backed Mongo-wire server process keeps a document across a clean stop and start. */
class MongoWireServerTest {

    @TempDir
    static Path dataDir;

    private static MongoWireServerProcess server;

    @AfterAll
    static void killServer() {
        if (server != null) {
            server.kill();
        }
    }

    @Test
    void documentSurvivesARestart() throws Exception {
        server = new MongoWireServerProcess(dataDir, Ports.freePort());
        server.start();
        System.out.printf("mongo-wire server started in %d ms, pid %d%n", server.lastStartDuration().toMillis(), server.pid());
        try (MongoClient client = client()) {
            assertThat(client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok")).isIn(1, 1.0);
            MongoCollection<Document> cases = client.getDatabase("civharm").getCollection("cases");
            cases.insertOne(new Document("_id", "case-1").append("title", "Strike on market").append("version", 3));
        }
        assertThat(server.stop()).as("stopped cleanly on SIGTERM").isTrue();
        assertThat(Files.size(server.storeFile())).isPositive();
        assertThat(Files.readString(server.logFile())).contains(MongoWireServer.READY_LINE, "MongoWireServer stopped cleanly");

        server.start();
        try (MongoClient client = client()) {
            Document found = client.getDatabase("civharm").getCollection("cases").find(Filters.eq("_id", "case-1")).first();
            assertThat(found).isNotNull();
            assertThat(found.getString("title")).isEqualTo("Strike on market");
            assertThat(found.getInteger("version")).isEqualTo(3);
            // what the benchmark divides by its commands: requests since this start, by database, command,
            // collection and filter fields
            Document counts = client.getDatabase("admin").runCommand(new Document("civharmRequestCounts", 1))
                    .get("counts", Document.class);
            assertThat(counts.get("civharm find cases _id")).isEqualTo(1L);
            assertThat(counts.keySet()).noneMatch(k -> k.contains("insert"));
        }
        assertThat(server.stop()).isTrue();
    }

    @Test
    void heapComesFromTheEnvironmentOrIsTwoGibibytes() {
        assertThat(MongoWireServerProcess.heap(null)).isEqualTo("2g");
        assertThat(MongoWireServerProcess.heap(" ")).isEqualTo("2g");
        assertThat(MongoWireServerProcess.heap("6g")).isEqualTo("6g");
        assertThat(MongoWireServerProcess.heap("6144m")).isEqualTo("6144m");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MongoWireServerProcess.heap("lots"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CIVHARM_MONGO_HEAP");
    }

    private static MongoClient client() {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(server.connectionString()))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .build());
    }
}
