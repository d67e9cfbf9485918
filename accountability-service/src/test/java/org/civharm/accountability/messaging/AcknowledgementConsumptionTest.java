package org.civharm.accountability.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.civharm.accountability.support.IncidentMother;
import org.civharm.accountability.support.IncidentTopic;
import org.civharm.accountability.support.ServiceIntegrationTest;
import org.civharm.accountability.support.TestInfrastructure;
import org.civharm.accountability.views.IncidentCaseRepository;
import org.civharm.accountability.views.TimelineRepository;
import org.civharm.contract.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The acknowledgement published by incident-service opens exactly one accountability record, whether the Kafka
 * record arrives once, twice, or again when the consumer group restarts from offset 0; records that cannot be read
 * are parked and the listener moves on.
 */
class AcknowledgementConsumptionTest extends ServiceIntegrationTest {

    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    IncidentCaseRepository incidentCases;
    @Autowired
    TimelineRepository timeline;
    @Autowired
    ParkedRecordRepository parked;

    @Test
    void an_acknowledgement_opens_one_record_when_delivered_twice_and_when_replayed_from_offset_0() throws Exception {
        String caseId = "KAFKA-ONCE-1";
        IncidentTopic.publish(IncidentMother.filed(caseId), 0);
        String ackId = UUID.randomUUID().toString();
        String ack = IncidentTopic.envelope(IncidentMother.acknowledged(caseId), ackId, 1);
        IncidentTopic.send(caseId, ack, ackId, "AllegationAcknowledged");

        awaitRecordOpened(caseId);
        JsonNode view = awaitView(caseId, 0);
        assertThat(view.get("trigger").asText()).isEqualTo("ACKNOWLEDGEMENT");
        assertThat(view.get("triggeringEventId").asText()).isEqualTo(ackId);
        assertThat(view.get("stage").asText()).isEqualTo("AWAITING_INVESTIGATION");
        assertThat(view.get("openedAt").asText()).isEqualTo(IncidentMother.ACKNOWLEDGED_AT.toString());
        assertThat(view.get("openingReason").asText()).contains("US-led Coalition").contains("conceded: 8");

        // The very same Kafka record again, then a later event of the case on the same partition: once that later
        // event is in the local copy, the duplicate before it has been handled.
        IncidentTopic.send(caseId, ack, ackId, "AllegationAcknowledged");
        IncidentTopic.publish(IncidentMother.revised(caseId, 1, Instant.parse("2018-08-02T10:00:00Z")), 2);
        await().atMost(WAIT).until(() -> incidentCases.findById(caseId).map(c -> c.lastSequence).orElse(-1L) == 2);
        // the record's own opening comes back from the accountability topic into the case file
        await().atMost(WAIT).until(() -> timeline.countByCase(caseId) == 4);

        assertThat(streamLength(caseId)).isEqualTo(1);
        assertThat(body(get("/cases/" + caseId + "/events"))).hasSize(1);

        // The consumer group restarts from offset 0 on both topics: everything is handled again, nothing changes.
        replayBothTopicsFromTheStart();

        assertThat(streamLength(caseId)).isEqualTo(1);
        JsonNode after = body(get("/cases/" + caseId)).get("record");
        assertThat(after.get("lastSequence").asLong()).isZero();
        assertThat(after.get("triggeringEventId").asText()).isEqualTo(ackId);
        assertThat(timeline.countByCase(caseId)).isEqualTo(4);
        assertThat(incidentCases.findById(caseId).orElseThrow().lastSequence).isEqualTo(2);
        JsonNode file = body(get("/cases/" + caseId + "/file"));
        assertThat(texts(file.get("entries"), "type")).containsExactly("AllegationFiled", "AllegationAcknowledged",
                "AccountabilityRecordOpened", "CasualtyFiguresRevised");
    }

    @Test
    void unreadable_records_are_parked_with_where_they_came_from_and_the_listener_moves_on() {
        // one case per kind of poison record: each is parked and holds only its own case (see DeadLetterTest)
        String prefix = "KAFKA-PARKED-";
        IncidentTopic.send(prefix + 1, "{this is not json", null, null);
        String unknownType = IncidentTopic.envelope(IncidentMother.filed(prefix + 2), UUID.randomUUID().toString(), 0)
                .replace("\"AllegationFiled\"", "\"AllegationEscalated\"");
        IncidentTopic.send(prefix + 2, unknownType, null, "AllegationEscalated");
        String otherCase = IncidentTopic.envelope(IncidentMother.filed("SOME-OTHER-CASE"), UUID.randomUUID().toString(), 0);
        IncidentTopic.send(prefix + 3, otherCase, null, "AllegationFiled");
        String flowing = prefix + 4;
        IncidentTopic.publish(IncidentMother.filed(flowing), 0);

        // the valid event of another case after them is handled...
        await().atMost(WAIT).until(() -> incidentCases.findById(flowing).isPresent());
        // ...and the three before it are parked, not lost
        await().atMost(WAIT).until(() -> parked.findByTopic(Topics.INCIDENT_EVENTS).stream()
                .filter(d -> d.getString("key").startsWith(prefix)).count() == 3);
        List<Document> parkedHere = parked.findByTopic(Topics.INCIDENT_EVENTS).stream()
                .filter(d -> d.getString("key").startsWith(prefix))
                .sorted(java.util.Comparator.comparing(d -> d.getString("key"))).toList();
        assertThat(parkedHere).extracting(d -> d.getString("error")).satisfiesExactly(
                e -> assertThat(e).startsWith("not a readable event envelope"),
                e -> assertThat(e).contains("AllegationEscalated"),
                e -> assertThat(e).contains("record key " + prefix + 3 + " differs from the envelope caseId SOME-OTHER-CASE"));
        assertThat(parkedHere).allSatisfy(d -> {
            assertThat(d.getString("topic")).isEqualTo(Topics.INCIDENT_EVENTS);
            assertThat(d.getString("status")).isEqualTo("PARKED");
            assertThat(d.get("partition")).isNotNull();
            assertThat(d.get("offset")).isNotNull();
            assertThat(d.getString("value")).isNotBlank();
        });
        assertThat(parkedHere.get(0).getString("value")).isEqualTo("{this is not json");
        assertThat(streamLength(prefix + 1)).isZero();
        assertThat(incidentCases.findById("SOME-OTHER-CASE")).isEmpty();
    }

    /** Stops the listener, moves the group's committed offsets to 0 on both topics, restarts it and waits until it has caught up. */
    private void replayBothTopicsFromTheStart() throws Exception {
        MessageListenerContainer container = listeners.getListenerContainer(CaseEventListener.LISTENER_ID);
        assertThat(container).isNotNull();
        container.stop();
        await().atMost(WAIT).until(() -> !container.isRunning());
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            for (String topic : List.of(Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS)) {
                for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
                    start.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
                }
            }
            // the group is empty once the container has stopped; the broker may take a moment to notice
            await().atMost(WAIT).ignoreExceptions().until(() -> {
                admin.alterConsumerGroupOffsets(CONSUMER_GROUP, start).all().get(10, TimeUnit.SECONDS);
                return true;
            });
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(CONSUMER_GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            assertThat(committed.values()).allSatisfy(o -> assertThat(o.offset()).isZero());

            container.start();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            start.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                var now = admin.listConsumerGroupOffsets(CONSUMER_GROUP).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                return ends.entrySet().stream().allMatch(e -> {
                    OffsetAndMetadata at = now.get(e.getKey());
                    return e.getValue().offset() == 0 || (at != null && at.offset() == e.getValue().offset());
                });
            });
        }
    }
}
