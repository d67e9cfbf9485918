package org.civharm.notification.support;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.civharm.contract.Topics;
import org.springframework.boot.SpringApplication;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real servers integration tests run against, started once per test JVM: an in-process KRaft Kafka broker
 * (spring-kafka-test) with the three civharm topics, and a MongoDB-wire server (mongo-java-server, memory backend),
 * both on 127.0.0.1. Each test class gets its own database and consumer group.
 */
public final class TestInfrastructure {

    public static final String WEBHOOK_SECRET = "test-webhook-secret-5f1c";

    private static EmbeddedKafkaKraftBroker kafka;
    private static MongoServer mongo;
    private static String mongoUri;

    private TestInfrastructure() {
    }

    public static synchronized String kafkaBootstrap() {
        if (kafka == null) {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, Topics.DEFAULT_PARTITIONS,
                    Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS, Topics.ALERT_EVENTS);
            broker.brokerProperties(Map.of("auto.create.topics.enable", "false",
                    "group.initial.rebalance.delay.ms", "0"));
            broker.afterPropertiesSet();
            afterSpringContextsClose(broker::destroy);
            kafka = broker;
        }
        return kafka.getBrokersAsString();
    }

    public static synchronized String mongoUri() {
        if (mongo == null) {
            mongo = new MongoServer(new MemoryBackend());
            mongo.bind("127.0.0.1", 0);
            InetSocketAddress address = mongo.getLocalAddress();
            mongoUri = "mongodb://127.0.0.1:" + address.getPort();
            afterSpringContextsClose(mongo::shutdownNow);
        }
        return mongoUri;
    }

    /**
     * Settings every test context shares: the shared servers, its own database and consumer group, the scheduler off
     * (tests run the evaluation themselves after moving the clock) and quick delivery retries.
     */
    public static List<String> properties(String database, String groupId) {
        List<String> p = new ArrayList<>(List.of(
                "spring.kafka.bootstrap-servers=" + kafkaBootstrap(),
                "spring.data.mongodb.uri=" + mongoUri(),
                "civharm.mongo.database=" + database,
                "civharm.kafka.group-id=" + groupId,
                "civharm.alerts.scheduler-enabled=false",
                "civharm.delivery.poll-interval=100ms",
                "civharm.delivery.initial-backoff=100ms",
                "civharm.delivery.max-backoff=1s",
                "civharm.delivery.max-attempts=5",
                "civharm.delivery.lease=30s",
                "civharm.security.jwt.public-key-location=" + TestTokens.publicKeyPem()));
        return p;
    }

    /** Points a Spring test context at the shared servers, its own database and consumer group. */
    public static void register(DynamicPropertyRegistry registry, String database, Map<String, String> extra) {
        for (String property : properties(database, database + "-group")) {
            int eq = property.indexOf('=');
            registry.add(property.substring(0, eq), () -> property.substring(eq + 1));
        }
        extra.forEach((k, v) -> registry.add(k, () -> v));
    }

    /**
     * Stops a server only after Spring has closed every test context. As a plain JVM shutdown hook it ran alongside
     * Spring's, so the contexts' tracking processors, releasing their token claims on close, waited out the driver's
     * server selection against a server already gone: the test JVM hung ~30 s at exit until surefire killed it.
     * Spring runs the handlers only if a Spring application ran in this JVM; otherwise the server ends with the JVM.
     */
    private static void afterSpringContextsClose(Runnable stop) {
        SpringApplication.getShutdownHandlers().add(stop);
    }
}
