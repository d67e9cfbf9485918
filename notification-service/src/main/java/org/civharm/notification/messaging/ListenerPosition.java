package org.civharm.notification.messaging;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.civharm.contract.Topics;
import org.civharm.notification.service.SourcePosition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The listener group's committed offsets against the topics' ends, asked of the broker. */
@Component
public class ListenerPosition implements SourcePosition.Source {

    static final List<String> TOPICS = List.of(Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS);

    private final KafkaAdmin kafkaAdmin;
    private final String groupId;

    public ListenerPosition(KafkaAdmin kafkaAdmin, @Value("${civharm.kafka.group-id:notification-service}") String groupId) {
        this.kafkaAdmin = kafkaAdmin;
        this.groupId = groupId;
    }

    @Override
    public SourcePosition read() {
        Map<String, Object> position = new LinkedHashMap<>();
        long sourceEvents = 0;
        long lag = 0;
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put("request.timeout.ms", 5000);
        config.put("default.api.timeout.ms", 5000);
        try (AdminClient admin = AdminClient.create(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (var d : admin.describeTopics(TOPICS).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
            }
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> {
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> begin =
                    admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            partitions.sort(Comparator.comparing(TopicPartition::toString));
            for (TopicPartition tp : partitions) {
                long first = begin.get(tp).offset();
                long last = end.get(tp).offset();
                OffsetAndMetadata at = committed.get(tp);
                long read = at == null ? first : at.offset();
                position.put(tp.toString(), read);
                sourceEvents += last - first;
                lag += Math.max(0, last - read);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            position.put("error", "interrupted");
            lag = -1;
        } catch (Exception e) {
            position.put("error", "Kafka not reachable: " + e.getMessage());
            lag = -1;
        }
        return new SourcePosition(position, sourceEvents, lag);
    }
}
