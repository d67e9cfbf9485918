package org.civharm.incident.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.DuplicateKeyException;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.civharm.incident.domain.EventJson;
import org.civharm.incident.eventstore.DirectReadEventStore;
import org.civharm.incident.eventstore.SequencedMongoEventStorageEngine;
import org.civharm.incident.messaging.IncidentEventPublisher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import org.springframework.boot.autoconfigure.mongo.MongoClientSettingsBuilderCustomizer;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

/**
 * Axon on MongoDB without Axon Server: the event store and token store of this service live in its own database.
 * Wired by hand because the Mongo extension's auto-configuration registers a transaction manager that needs
 * sessions (see shared/STACK.md). No Mongo transactions are used: appends are single inserts guarded by the unique
 * (aggregateIdentifier, sequenceNumber) index, and every projection is idempotent.
 */
@Configuration
public class AxonMongoConfig {

    /** Processing group that publishes the event store to Kafka. */
    public static final String KAFKA_PUBLISHER = "kafka-publisher";
    /** Processing group that maintains the Mongo views. */
    public static final String VIEWS = "allegation-views";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * How long a command waits for the database before it is answered 503 (Retry-After): short, so an outage is a
     * prompt, honest refusal rather than a hung request. Overrides the URI's serverSelectionTimeoutMS.
     */
    @Bean
    MongoClientSettingsBuilderCustomizer storeTimeouts(
            @Value("${civharm.mongo.server-selection-timeout:5s}") Duration serverSelection) {
        return settings -> settings.applyToClusterSettings(cluster ->
                cluster.serverSelectionTimeout(serverSelection.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Bean
    MongoTemplate axonMongoTemplate(MongoClient client, CivharmMongoProperties mongo) {
        return DefaultMongoTemplate.builder().mongoDatabase(client, mongo.database()).build();
    }

    /** The mapper Axon stores events with: the same form the hash chain is computed over (see {@link EventJson}). */
    static ObjectMapper eventObjectMapper() {
        return EventJson.newMapper();
    }

    @Bean
    @Primary
    Serializer serializer() {
        return JacksonSerializer.builder().objectMapper(eventObjectMapper()).build();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        return JacksonSerializer.builder().objectMapper(eventObjectMapper()).build();
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer() {
        return JacksonSerializer.builder().objectMapper(eventObjectMapper()).build();
    }

    /** Snapshots serialise the aggregate's private fields (it has no getters on purpose). */
    static Serializer snapshotSerializer() {
        ObjectMapper mapper = eventObjectMapper()
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        return JacksonSerializer.builder().objectMapper(mapper).build();
    }

    @Bean
    SequencedMongoEventStorageEngine eventStorageEngine(MongoClient client, CivharmMongoProperties mongo,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration, Clock clock,
                                          @Value("${civharm.eventstore.append-timeout:15s}") Duration appendTimeout,
                                          @Value("${civharm.eventstore.gap-timeout:60s}") Duration gapTimeout) {
        SequencedMongoEventStorageEngine engine = SequencedMongoEventStorageEngine.builder()
                .database(client.getDatabase(mongo.database()))
                .clock(clock)
                // An append is abandoned if its insert is not acknowledged this long after its positions were
                // reserved; readers give a gap up only after the gap timeout, so no late event lands in one they
                // have passed. Both must exceed the driver's server-selection timeout, or a short store outage
                // fails appends that would otherwise have waited it out.
                .appendTimeout(appendTimeout)
                .gapTimeout(gapTimeout)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(snapshotSerializer())
                .upcasterChain(configuration.upcasterChain())
                // Two appends at the same (case, sequence) hit the unique index: report it as a concurrency conflict
                // (409 to the caller) instead of a storage failure.
                .persistenceExceptionResolver(AxonMongoConfig::isDuplicateKey)
                .build();
        engine.prepare();
        return engine;
    }

    /**
     * Axon's embedded event store with every processor reading the storage engine itself ({@link DirectReadEventStore}:
     * Axon's shared cache of recent events could strand a processor on a stream that looked for new events once a
     * second). Commits through this instance wake the processors at once; another instance's are seen within the poll
     * interval.
     */
    @Bean
    EmbeddedEventStore eventStore(SequencedMongoEventStorageEngine storageEngine,
                                  org.axonframework.config.Configuration configuration,
                                  @Value("${civharm.axon.poll-interval:500ms}") Duration pollInterval) {
        return new DirectReadEventStore(EmbeddedEventStore.builder()
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class)), storageEngine, pollInterval);
    }

    static boolean isDuplicateKey(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MongoBulkWriteException bulk
                    && bulk.getWriteErrors().stream().anyMatch(w -> w.getCategory() == ErrorCategory.DUPLICATE_KEY)) {
                return true;
            }
            if (t instanceof MongoWriteException write && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return true;
            }
            if (t instanceof DuplicateKeyException) {
                return true;
            }
        }
        return false;
    }

    @Bean
    TokenStore tokenStore(MongoTemplate axonMongoTemplate, Serializer serializer) {
        return MongoTokenStore.builder()
                .mongoTemplate(axonMongoTemplate)
                .serializer(serializer)
                .claimTimeout(Duration.ofSeconds(10))
                .transactionManager(NoTransactionManager.INSTANCE)
                .build();
    }

    /** Cases loaded by commands stay in memory (see {@link BoundedAggregateCache} for why that is safe). */
    @Bean
    Cache allegationCache(@Value("${civharm.aggregate-cache.max-entries:1000}") int maxEntries) {
        return new BoundedAggregateCache(maxEntries);
    }

    /** A snapshot every 50 events keeps long cases (hundreds of evidence items) quick to load. */
    @Bean
    SnapshotTriggerDefinition allegationSnapshotTrigger(Snapshotter snapshotter,
                                                        @Value("${civharm.snapshot-threshold:50}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /**
     * Errors in the Kafka publisher and the views must stop the processor and retry (with Axon's back-off), never
     * skip the event: an outage delays publication, it never loses an event.
     */
    @Autowired
    void configureProcessors(EventProcessingConfigurer processing, IncidentEventPublisher publisher) {
        processing.registerListenerInvocationErrorHandler(KAFKA_PUBLISHER, c -> PropagatingErrorHandler.instance());
        // the publisher's sends of a batch are awaited before the token is stored (see IncidentEventPublisher)
        processing.registerHandlerInterceptor(KAFKA_PUBLISHER, c -> publisher.batchBarrier());
        processing.registerListenerInvocationErrorHandler(VIEWS, c -> PropagatingErrorHandler.instance());
    }
}
