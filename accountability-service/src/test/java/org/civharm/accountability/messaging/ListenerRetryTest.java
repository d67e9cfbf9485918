package org.civharm.accountability.messaging;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.civharm.accountability.support.ServiceIntegrationTest;
import org.civharm.accountability.support.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The error handling the case-event listener runs with (the {@link DefaultErrorHandler} bean), on a real broker: a
 * record whose handling fails — as when MongoDB is unreachable — is retried with back-off until it succeeds, is not
 * skipped, not parked, and the records behind it wait their turn. The failure used is one Spring Kafka would
 * otherwise treat as fatal at once (a {@link ClassCastException}), to show nothing is classified as "give up".
 */
class ListenerRetryTest extends ServiceIntegrationTest {

    private static final String TOPIC = "civharm.test.listener-retry";

    @Autowired
    DefaultErrorHandler errorHandler;
    @Autowired
    ConsumerFactory<String, String> consumerFactory;
    @Autowired
    ParkedRecordRepository parked;

    @Test
    void a_failing_record_is_retried_until_it_succeeds_and_nothing_is_skipped() throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        AtomicInteger attempts = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        ContainerProperties properties = new ContainerProperties(TOPIC);
        properties.setGroupId("listener-retry-test");
        properties.setAckMode(ContainerProperties.AckMode.RECORD);
        properties.setMessageListener((MessageListener<String, String>) record -> {
            if (record.value().equals("first") && attempts.incrementAndGet() < 4) {
                throw new ClassCastException("MongoDB unreachable (simulated), attempt " + attempts.get());
            }
            handled.add(record.value());
        });
        KafkaMessageListenerContainer<String, String> container =
                new KafkaMessageListenerContainer<>(consumerFactory, properties);
        container.setCommonErrorHandler(errorHandler);
        container.start();
        try {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>(TOPIC, "CASE-1", "first")).get(10, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>(TOPIC, "CASE-1", "second")).get(10, TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> handled.size() == 2);
            assertThat(handled).containsExactly("first", "second");
            assertThat(attempts.get()).isEqualTo(4);
            assertThat(parked.findByTopic(TOPIC)).isEmpty();
        } finally {
            container.stop();
        }
    }
}
