package org.civharm.incident.support;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.civharm.contract.Topics;
import org.springframework.boot.SpringApplication;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The real servers integration tests run against, started once per test JVM: an in-process KRaft Kafka broker
 * (spring-kafka-test) and a MongoDB-wire server (mongo-java-server, memory backend) on 127.0.0.1. Each test class
 * gets its own database so classes do not see each other's cases.
 */
public final class TestInfrastructure {

    private static EmbeddedKafkaKraftBroker kafka;
    private static MongoServer mongo;
    private static String mongoUri;

    private TestInfrastructure() {
    }

    public static synchronized String kafkaBootstrap() {
        if (kafka == null) {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, Topics.DEFAULT_PARTITIONS,
                    Topics.INCIDENT_EVENTS);
            broker.brokerProperties(Map.of("auto.create.topics.enable", "false"));
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

    /** Points a Spring test context at the shared servers and at its own database. */
    public static void register(DynamicPropertyRegistry registry, String database) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrap);
        registry.add("spring.data.mongodb.uri", TestInfrastructure::mongoUri);
        registry.add("civharm.mongo.database", () -> database);
        registry.add("civharm.security.jwt.public-key-location", () -> TestTokens.publicKeyPem().toString());
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
