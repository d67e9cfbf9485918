package org.civharm.incident.config;

import org.apache.kafka.clients.admin.NewTopic;
import org.civharm.contract.Topics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Topic this service publishes to. Created at start-up where the broker allows it (local runs, tests); on a managed
 * cluster set {@code civharm.kafka.create-topics=false} and create it with the same partition count.
 */
@Configuration
public class KafkaConfig {

    @Bean
    @ConditionalOnProperty(name = "civharm.kafka.create-topics", havingValue = "true", matchIfMissing = true)
    NewTopic incidentEventsTopic(@Value("${civharm.kafka.partitions:" + Topics.DEFAULT_PARTITIONS + "}") int partitions,
                                 @Value("${civharm.kafka.replication-factor:1}") short replicationFactor) {
        return TopicBuilder.name(Topics.INCIDENT_EVENTS).partitions(partitions).replicas(replicationFactor)
                .config("min.insync.replicas", String.valueOf(Math.max(1, replicationFactor - 1)))
                .build();
    }
}
