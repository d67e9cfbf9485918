package org.civharm.accountability.messaging;

import org.bson.Document;
import org.civharm.accountability.views.IncidentCaseProjection;
import org.civharm.accountability.views.IncidentCaseRepository;
import org.civharm.contract.Topics;
import org.civharm.contract.incident.IncidentEvent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The incident copy ({@code incident_cases}) rebuilt from incident-service's topic. */
@Component
public class IncidentCasesRebuild extends KafkaViewRebuild {

    public static final String NAME = "incident-cases";

    private final IncidentCaseRepository repository;
    private final IncidentCaseProjection projection;

    public IncidentCasesRebuild(ConsumerFactory<?, ?> consumerFactory, KafkaAdmin kafkaAdmin,
                                KafkaListenerEndpointRegistry registry, EnvelopeReader reader,
                                IncidentCaseRepository repository, IncidentCaseProjection projection,
                                @Value("${spring.kafka.consumer.group-id}") String groupId, Clock clock,
                           DeadLetters deadLetters) {
        super(consumerFactory, kafkaAdmin, registry, reader, groupId, clock, deadLetters);
        this.repository = repository;
        this.projection = projection;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected List<String> topics() {
        return List.of(Topics.INCIDENT_EVENTS);
    }

    @Override
    protected String baseCollection() {
        return IncidentCaseRepository.COLLECTION;
    }

    @Override
    protected String currentCollection() {
        return repository.currentCollection();
    }

    @Override
    protected void prepareEmpty(String collection) {
        repository.prepareEmpty(collection);
    }

    /** A poll's events folded per case and written at once. */
    @Override
    protected void applyAll(String collection, List<TopicEvent> events) {
        List<IncidentCaseRepository.CaseChange> changes = new ArrayList<>();
        for (TopicEvent e : events) {
            if (e.read().event() instanceof IncidentEvent event) {
                changes.add(projection.changeOf(event, e.read().envelope().eventId(), e.read().envelope().sequence()));
            }
        }
        repository.applyAllInto(collection, changes);
    }

    @Override
    protected String switchTo(String collection) {
        return repository.switchTo(collection);
    }

    @Override
    protected void drop(String collection) {
        repository.drop(collection);
    }

    @Override
    public List<Document> contents(String collection) {
        return repository.contents(collection);
    }
}
