package org.civharm.accountability.messaging;

import org.bson.Document;
import org.civharm.accountability.views.TimelineRepository;
import org.civharm.contract.Topics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;

/** The case file ({@code timeline}) rebuilt from both topics. */
@Component
public class TimelineRebuild extends KafkaViewRebuild {

    public static final String NAME = "timeline";

    private final TimelineRepository timeline;

    public TimelineRebuild(ConsumerFactory<?, ?> consumerFactory, KafkaAdmin kafkaAdmin,
                           KafkaListenerEndpointRegistry registry, EnvelopeReader reader, TimelineRepository timeline,
                           @Value("${spring.kafka.consumer.group-id}") String groupId, Clock clock,
                           DeadLetters deadLetters) {
        super(consumerFactory, kafkaAdmin, registry, reader, groupId, clock, deadLetters);
        this.timeline = timeline;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected List<String> topics() {
        return List.of(Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS);
    }

    @Override
    protected String baseCollection() {
        return TimelineRepository.COLLECTION;
    }

    @Override
    protected String currentCollection() {
        return timeline.currentCollection();
    }

    @Override
    protected void prepareEmpty(String collection) {
        timeline.prepareEmpty(collection);
    }

    /** A poll's entries in one bulk write: one write per record made this rebuild the slowest but one. */
    @Override
    protected void applyAll(String collection, List<TopicEvent> events) {
        timeline.upsertAllInto(collection, events.stream()
                .map(e -> CaseEventSteps.timelineEntry(e.read(), e.topic())).toList());
    }

    @Override
    protected String switchTo(String collection) {
        return timeline.switchTo(collection);
    }

    @Override
    protected void drop(String collection) {
        timeline.drop(collection);
    }

    @Override
    public List<Document> contents(String collection) {
        return timeline.contents(collection);
    }
}
