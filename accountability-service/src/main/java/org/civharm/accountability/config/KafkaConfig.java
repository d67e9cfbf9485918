package org.civharm.accountability.config;

import org.apache.kafka.clients.admin.NewTopic;
import org.civharm.accountability.messaging.ParkedRecordRepository;
import org.civharm.contract.Topics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import java.util.Map;

/**
 * Topics this service publishes to and reads from, and how the listener treats failures.
 * <p>
 * Topics are created at start-up where the broker allows it (local runs, tests); on a managed cluster set
 * {@code civharm.kafka.create-topics=false} and create them with the same partition count. The incident topic is
 * created here too (same settings as incident-service uses), so this service can start before incident-service.
 */
@Configuration
public class KafkaConfig {

    @Bean
    @ConditionalOnProperty(name = "civharm.kafka.create-topics", havingValue = "true", matchIfMissing = true)
    NewTopic accountabilityEventsTopic(@Value("${civharm.kafka.partitions:" + Topics.DEFAULT_PARTITIONS + "}") int partitions,
                                       @Value("${civharm.kafka.replication-factor:1}") short replicationFactor) {
        return topic(Topics.ACCOUNTABILITY_EVENTS, partitions, replicationFactor);
    }

    @Bean
    @ConditionalOnProperty(name = "civharm.kafka.create-topics", havingValue = "true", matchIfMissing = true)
    NewTopic incidentEventsTopic(@Value("${civharm.kafka.partitions:" + Topics.DEFAULT_PARTITIONS + "}") int partitions,
                                 @Value("${civharm.kafka.replication-factor:1}") short replicationFactor) {
        return topic(Topics.INCIDENT_EVENTS, partitions, replicationFactor);
    }

    private static NewTopic topic(String name, int partitions, short replicationFactor) {
        return TopicBuilder.name(name).partitions(partitions).replicas(replicationFactor)
                .config("min.insync.replicas", String.valueOf(Math.max(1, replicationFactor - 1)))
                .build();
    }

    /**
     * Error handling of the listener (picked up by Spring Boot's container factory). The listener itself parks
     * records it cannot read (malformed JSON, unknown event type, newer contract version) and holds their case behind
     * them (sequenced dead letters, see DeadLetters), moving on to other cases; any exception that reaches this
     * handler is treated as transient (MongoDB or the event store unreachable): the record is retried with an
     * exponential back-off, without limit, and its offset is not committed until it succeeds. Nothing is skipped.
     * Every exception type is retryable here, including those Spring Kafka would otherwise give up on at once; were
     * one ever handed to the recoverer, it would be parked (holding its case) rather than dropped.
     */
    @Bean
    DefaultErrorHandler kafkaListenerErrorHandler(ParkedRecordRepository parked,
                                                  @Value("${civharm.kafka.retry.initial-interval-ms:500}") long initial,
                                                  @Value("${civharm.kafka.retry.max-interval-ms:30000}") long max) {
        ExponentialBackOff backOff = new ExponentialBackOff(initial, 2.0);
        backOff.setMaxInterval(max);
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, e) -> parked.park(record, "not processed after retries: " + e), backOff);
        handler.setClassifications(Map.of(), true);
        handler.setCommitRecovered(true);
        return handler;
    }
}
