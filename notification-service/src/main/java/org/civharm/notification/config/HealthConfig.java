package org.civharm.notification.config;

import com.mongodb.client.MongoClient;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.bson.Document;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.concurrent.TimeUnit;

/**
 * Health of the two things this service cannot work without, checked through the same clients it uses (the Mongo
 * driver and a Kafka admin client), so {@code /actuator/health} is DOWN when either is unreachable.
 */
@Configuration
public class HealthConfig {

    @Bean
    HealthIndicator mongoHealthIndicator(MongoClient client, CivharmMongoProperties mongo) {
        return () -> {
            try {
                Document reply = client.getDatabase(mongo.database()).runCommand(new Document("ping", 1));
                return Health.up().withDetail("database", mongo.database()).withDetail("ping", reply.get("ok")).build();
            } catch (RuntimeException e) {
                return Health.down(e).withDetail("database", mongo.database()).build();
            }
        };
    }

    @Bean(destroyMethod = "close")
    AdminClient healthAdminClient(KafkaAdmin kafkaAdmin) {
        return AdminClient.create(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    HealthIndicator kafkaHealthIndicator(AdminClient healthAdminClient) {
        return () -> {
            try {
                DescribeClusterResult cluster = healthAdminClient.describeCluster(
                        new DescribeClusterOptions().timeoutMs(3000));
                int nodes = cluster.nodes().get(4, TimeUnit.SECONDS).size();
                return Health.up().withDetail("clusterId", cluster.clusterId().get(4, TimeUnit.SECONDS))
                        .withDetail("brokers", nodes).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.down(e).build();
            } catch (Exception e) {
                return Health.down(e).build();
            }
        };
    }
}
