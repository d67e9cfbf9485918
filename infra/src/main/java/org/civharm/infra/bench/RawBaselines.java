package org.civharm.infra.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;

/**
 * The components' own limits, measured in the same run on the same servers: a Kafka producer and consumer on a topic
 * shaped like the incident topic (6 partitions, keyed, ~1.5 KB values, acks=all, idempotent), and MongoDB Java driver
 * inserts of documents shaped like Axon's stored events into the same server, with Axon's unique
 * (aggregateIdentifier, sequenceNumber) index. Every loop is bounded by a count and a time limit.
 */
final class RawBaselines {

    static final int RECORD_BYTES = 1500;
    static final int PARTITIONS = 6;

    private final SystemUnderTest sut;
    private final Mode mode;

    RawBaselines(SystemUnderTest sut, Mode mode) {
        this.sut = sut;
        this.mode = mode;
    }

    void measure(Map<String, Double> out) throws Exception {
        kafka(out);
        mongo(out);
    }

    // ------------------------------------------------------------------ Kafka

    /**
     * The raw topic: created by the first run of a harness start and reused by the later ones (each measures the
     * records it adds). In short run V, as in run U, the topic created for run 2 had two partitions whose broker
     * answered NOT_LEADER_OR_FOLLOWER to every produce request for two minutes, although the admin client showed a
     * leader for each; the first run's topic never did. Deleted when the harness exits (on an external cluster; a local
     * broker's data goes with the harness's data folder).
     */
    private static String rawTopic;

    private void kafka(Map<String, Double> out) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sut.kafkaBootstrap);
        String topic = rawTopic(admin, sut.external);
        Map<TopicPartition, Long> before;
        try (KafkaConsumer<String, byte[]> offsets = new KafkaConsumer<>(consumerConfig())) {
            before = offsets.endOffsets(partitions(topic), Duration.ofSeconds(30));
        }
        long produced = produce(topic, out);
        consume(topic, before, produced, out);
    }

    private static synchronized String rawTopic(Properties admin, boolean externalKafka) throws Exception {
        if (rawTopic != null) {
            return rawTopic;
        }
        String topic = "civharm.bench.raw." + UUID.randomUUID().toString().substring(0, 8);
        try (AdminClient client = AdminClient.create(admin)) {
            int brokers = client.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            short replication = (short) Math.min(3, brokers);
            client.createTopics(List.of(new NewTopic(topic, PARTITIONS, replication))).all().get(30, TimeUnit.SECONDS);
            awaitLeaders(client, topic);
        }
        if (externalKafka) { // a local broker's data goes with the harness's data folder
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (AdminClient client = AdminClient.create(admin)) {
                    client.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.out.println("bench: could not delete the raw topic " + topic + ": " + e);
                }
            }, "delete-raw-topic"));
        }
        rawTopic = topic;
        return topic;
    }

    private static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            partitions.add(new TopicPartition(topic, i));
        }
        return partitions;
    }

    private Properties consumerConfig() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sut.kafkaBootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return c;
    }

    /**
     * Waits until every partition of a new topic has a leader. In short run U the idempotent producer's first batch
     * to a fresh partition was refused (NOT_LEADER_OR_FOLLOWER) while later ones were taken, and its retry was then
     * refused as out of sequence until the batch expired two minutes later: the phase failed.
     */
    private static void awaitLeaders(AdminClient client, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            var description = client.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a partition of " + topic + " had no leader after 30 s");
            }
            Thread.sleep(100);
        }
    }

    private long produce(String topic, Map<String, Double> out) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sut.kafkaBootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        String value = envelopeLikeValue();
        int count = mode.kafkaRecords;
        Duration limit = mode.rawTimeLimit;
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(20_000);
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        int sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (; sent < count && System.nanoTime() < deadline && failure.get() == null; sent++) {
                inFlight.acquire();
                String key = "RAW-" + (sent % 5000);
                producer.send(new ProducerRecord<>(topic, key, value), (meta, e) -> {
                    inFlight.release();
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("raw producer failed", failure.get());
        }
        out.put("raw.kafka.producer.records_per_s", acked.get() / seconds);
        out.put("raw.kafka.producer.records", (double) acked.get());
        out.put("raw.kafka.record_bytes", (double) value.length());
        System.out.printf("bench: raw Kafka producer %d records of %d B in %.1f s = %.0f rec/s%n", acked.get(),
                value.length(), seconds, acked.get() / seconds);
        return acked.get();
    }

    /** Reads what the producer just added, from the offsets before it, as fast as one consumer can. */
    private void consume(String topic, Map<TopicPartition, Long> from, long expected, Map<String, Double> out) {
        long read = 0;
        double seconds;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long t0 = System.nanoTime();
            long deadline = t0 + mode.rawTimeLimit.toNanos();
            while (read < expected && System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
                read += batch.count();
            }
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        out.put("raw.kafka.consumer.records_per_s", read / seconds);
        System.out.printf("bench: raw Kafka consumer %d records in %.1f s = %.0f rec/s%n", read, seconds, read / seconds);
    }

    /** A value the size of an incident envelope: JSON, ~1.5 KB. */
    static String envelopeLikeValue() {
        StringBuilder b = new StringBuilder("{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"AllegationFiled\","
                + "\"contractVersion\":1,\"caseId\":\"RAW-0\",\"sequence\":0,\"producedBy\":\"incident-service\","
                + "\"recordedAt\":\"" + Instant.now() + "\",\"event\":{\"type\":\"AllegationFiled\",\"description\":\"");
        while (b.length() < RECORD_BYTES - 3) {
            b.append("civilian harm ");
        }
        b.setLength(RECORD_BYTES - 3);
        return b.append("\"}}").toString();
    }

    // ------------------------------------------------------------------ MongoDB

    private void mongo(Map<String, Double> out) {
        String database = "civharm_bench_raw_" + UUID.randomUUID().toString().substring(0, 8);
        try (MongoClient client = MongoClients.create(sut.mongoUri)) {
            MongoDatabase db = client.getDatabase(database);
            try {
                MongoCollection<Document> single = prepared(db, "domainevents_single");
                String payload = payload();
                long t0 = System.nanoTime();
                long deadline = t0 + mode.rawTimeLimit.toNanos();
                int n = 0;
                for (; n < mode.mongoSingleInserts && System.nanoTime() < deadline; n++) {
                    single.insertOne(event("RAW-S-" + (n / 10), n % 10, payload));
                }
                double s = (System.nanoTime() - t0) / 1e9;
                out.put("raw.mongo.insert_one.docs_per_s", n / s);
                out.put("raw.mongo.doc_bytes", (double) org.bson.RawBsonDocument.parse(event("X", 0, payload).toJson())
                        .getByteBuffer().remaining());
                System.out.printf("bench: raw Mongo insertOne %d docs in %.1f s = %.0f docs/s%n", n, s, n / s);

                MongoCollection<Document> many = prepared(db, "domainevents_many");
                t0 = System.nanoTime();
                deadline = t0 + mode.rawTimeLimit.toNanos();
                n = 0;
                while (n < mode.mongoManyInserts && System.nanoTime() < deadline) {
                    List<Document> batch = new ArrayList<>(100);
                    for (int i = 0; i < 100; i++, n++) {
                        batch.add(event("RAW-M-" + (n / 10), n % 10, payload));
                    }
                    many.insertMany(batch);
                }
                s = (System.nanoTime() - t0) / 1e9;
                out.put("raw.mongo.insert_many100.docs_per_s", n / s);
                System.out.printf("bench: raw Mongo insertMany(100) %d docs in %.1f s = %.0f docs/s%n", n, s, n / s);
            } finally {
                db.drop();
            }
        }
    }

    private static MongoCollection<Document> prepared(MongoDatabase db, String name) {
        MongoCollection<Document> c = db.getCollection(name);
        // as Axon's DocumentPerEventStorageStrategy creates them
        c.createIndex(Indexes.ascending("aggregateIdentifier", "sequenceNumber"),
                new IndexOptions().unique(true).name("uniqueAggregateIndex"));
        c.createIndex(Indexes.ascending("timestamp", "sequenceNumber"), new IndexOptions().name("orderedEventStreamIndex"));
        return c;
    }

    private static Document event(String aggregate, long sequence, String payload) {
        return new Document("aggregateIdentifier", aggregate)
                .append("type", "Allegation")
                .append("sequenceNumber", sequence)
                .append("serializedPayload", payload)
                .append("timestamp", Instant.now().toString())
                .append("payloadType", "org.civharm.contract.incident.EvidenceAttachedEvent")
                .append("payloadRevision", null)
                .append("serializedMetaData", "{\"traceId\":\"" + UUID.randomUUID() + "\",\"correlationId\":\""
                        + UUID.randomUUID() + "\",\"hash\":\"" + "ab".repeat(32) + "\",\"previousHash\":\""
                        + "cd".repeat(32) + "\"}")
                .append("eventIdentifier", UUID.randomUUID().toString());
    }

    private static String payload() {
        StringBuilder b = new StringBuilder("{\"caseId\":\"RAW\",\"kind\":\"URL\",\"location\":\"https://example.org/\","
                + "\"sha256\":\"" + "ef".repeat(32) + "\",\"description\":\"");
        while (b.length() < 700) {
            b.append("evidence item ");
        }
        return b.append("\"}").toString();
    }
}
