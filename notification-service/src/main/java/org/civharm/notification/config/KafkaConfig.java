package org.civharm.notification.config;

import org.apache.kafka.clients.admin.NewTopic;
import org.civharm.contract.Topics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import java.time.Duration;
import java.util.Map;

/**
 * Topics and consumer error handling.
 * <p>
 * The alert topic is created at start-up where the broker allows it (local runs, tests), like the other services'
 * topics. The two consumed topics are created too, with the same settings their producers use, so this service can
 * start before them; on a managed cluster set {@code civharm.kafka.create-topics=false}. The listener also tolerates a
 * missing topic ({@code missing-topics-fatal: false}) and picks it up once it exists.
 */
@Configuration
public class KafkaConfig {

    @Bean
    @ConditionalOnProperty(name = "civharm.kafka.create-topics", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics civharmTopics(@Value("${civharm.kafka.partitions:" + Topics.DEFAULT_PARTITIONS + "}") int partitions,
                                       @Value("${civharm.kafka.replication-factor:1}") short replicationFactor) {
        return new KafkaAdmin.NewTopics(
                topic(Topics.ALERT_EVENTS, partitions, replicationFactor),
                topic(Topics.INCIDENT_EVENTS, partitions, replicationFactor),
                topic(Topics.ACCOUNTABILITY_EVENTS, partitions, replicationFactor));
    }

    private static NewTopic topic(String name, int partitions, short replicationFactor) {
        return TopicBuilder.name(name).partitions(partitions).replicas(replicationFactor)
                .config("min.insync.replicas", String.valueOf(Math.max(1, replicationFactor - 1)))
                .build();
    }

    /**
     * A record whose handling fails (Mongo unreachable, say) is retried with exponential back-off (1 s doubling to
     * 1 min) for as long as it takes: never skipped, and its offset is not committed until it is handled. Every
     * exception is retryable here (spring-kafka's default would skip some at once); records that cannot be read are
     * parked by the listener itself and never reach this handler. The longest wait between attempts is
     * {@code civharm.kafka.retry-max-interval} (tests shorten it, so a record held up by an outage is applied soon
     * after the store is back).
     */
    @Bean
    CommonErrorHandler kafkaErrorHandler(@Value("${civharm.kafka.retry-max-interval:60s}") Duration maxInterval) {
        ExponentialBackOff backOff = new ExponentialBackOff(Math.min(1000, maxInterval.toMillis()), 2.0);
        backOff.setMaxInterval(maxInterval.toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Integer.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, e) -> {
            throw new IllegalStateException("a record of " + record.topic() + " was about to be skipped", e);
        }, backOff);
        handler.setClassifications(Map.of(), true);
        handler.setCommitRecovered(false);
        return handler;
    }
}
