package org.civharm.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a real KRaft broker as a child process, writes keyed records, reads them back, and shows that a restart on
 * the same data directory keeps them.
 */
class KafkaBrokerTest {

    private static final String TOPIC = "civharm.test.cases";
    private static final int CASES = 8;
    private static final int EVENTS_PER_CASE = 25;

    @TempDir
    static Path dataDir;

    private static KafkaBroker broker;

    @AfterAll
    static void killBroker() {
        if (broker != null) {
            broker.kill();
        }
    }

    @Test
    void keyedRecordsKeepTheirOrderPerKeyAndSurviveARestart() throws Exception {
        broker = new KafkaBroker(dataDir, Ports.freePort(), Ports.freePort());
        broker.start();
        System.out.printf("broker started in %d ms (format included), pid %d%n",
                broker.lastStartDuration().toMillis(), broker.pid());
        assertThat(Files.readString(dataDir.resolve("server.properties")))
                .contains("process.roles=broker,controller", "listeners=PLAINTEXT://127.0.0.1:" + broker.port());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.describeTopics(Set.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(TOPIC).partitions()).hasSize(6);
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(broker.clusterId());
        }

        Map<String, List<String>> sent = new LinkedHashMap<>();
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        List<String> caseIds = new ArrayList<>();
        for (int c = 0; c < CASES; c++) {
            caseIds.add(UUID.randomUUID().toString());
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            // interleave cases, as concurrent commands on different cases would
            for (int seq = 1; seq <= EVENTS_PER_CASE; seq++) {
                for (String caseId : caseIds) {
                    String value = caseId + "#" + seq;
                    producer.send(new ProducerRecord<>(TOPIC, caseId, value));
                    sent.computeIfAbsent(caseId, k -> new ArrayList<>()).add(value);
                }
            }
            producer.flush();
        }

        assertReadBack(sent, "first-run");

        long t0 = System.nanoTime();
        assertThat(broker.stop()).as("broker stopped cleanly on SIGTERM").isTrue();
        System.out.printf("broker stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(broker.isRunning()).isFalse();

        broker.start();
        System.out.printf("broker restarted in %d ms (no format), pid %d%n",
                broker.lastStartDuration().toMillis(), broker.pid());
        assertReadBack(sent, "after-restart");

        t0 = System.nanoTime();
        assertThat(broker.stop()).isTrue();
        System.out.printf("broker stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    private static void assertReadBack(Map<String, List<String>> sent, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "civharm-infra-test-" + group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        int expected = sent.values().stream().mapToInt(List::size).sum();
        Map<String, List<String>> received = new LinkedHashMap<>();
        Map<String, Set<Integer>> partitionsPerKey = new LinkedHashMap<>();
        int count = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(TOPIC));
            while (count < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                    partitionsPerKey.computeIfAbsent(record.key(), k -> new HashSet<>()).add(record.partition());
                    count++;
                }
            }
        }
        assertThat(count).as("records read back (" + group + ")").isEqualTo(expected);
        assertThat(received).as("per-key order (" + group + ")").isEqualTo(sent);
        assertThat(partitionsPerKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));
    }
}
