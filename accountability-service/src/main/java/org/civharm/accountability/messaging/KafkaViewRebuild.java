package org.civharm.accountability.messaging;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.civharm.accountability.messaging.EnvelopeReader.ReadEvent;
import org.civharm.accountability.messaging.EnvelopeReader.UnreadableRecordException;
import org.civharm.accountability.views.ProjectionStatus;
import org.civharm.accountability.views.RebuildProgress;
import org.civharm.accountability.views.RebuildableProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds a view fed by the case-event listener from its Kafka topics, from offset 0, without taking it away from
 * readers:
 * <ol>
 *   <li>a separate consumer (no consumer group: {@code assign} + {@code seekToBeginning}, nothing committed) reads
 *       every partition up to the end offsets taken at the start, folding each record into a new collection — while
 *       the live listener keeps feeding the live collection;</li>
 *   <li>the live listener container is paused (and awaited until its consumer is paused), the end offsets are taken
 *       again and the rebuild drains up to them;</li>
 *   <li>the pointer is switched to the new collection and the container resumed. Records the live listener had not
 *       reached are applied by it after the switch, into the new collection; every write is idempotent (upsert by
 *       event id, or by case sequence), so a record applied by both changes nothing.</li>
 * </ol>
 * Sequenced dead letters (see {@link DeadLetters}) are respected, so the rebuilt view holds back what the live one
 * holds back: a record parked, held or discarded is not applied (statuses read at the start and again when draining),
 * nor is an unreadable record, nor anything after one of those in its partition with the same key (the listener
 * holds those too). Records applied by a retry are applied. Between the two topics of one case the rebuild cannot
 * know the listener's order: a record of the other topic that the listener has not reached yet may be applied here
 * and then be held by the listener — early, never wrong, since the retry that releases it applies the same
 * idempotent writes. Retries are kept out while a rebuild runs (a release would apply records into the collection
 * being replaced after the rebuild had skipped them); cases left releasable are released when it ends.
 * <p>
 * Only one such rebuild runs at a time, since all pause the same listener. On several instances, only this
 * instance's listener is paused: the others keep writing until they re-read the pointer (once per poll, see
 * {@link CaseEventListener}), so run rebuilds with one instance consuming, or accept that records handled elsewhere
 * during the switch are re-applied only on their redelivery.
 */
public abstract class KafkaViewRebuild implements RebuildableProjection {

    private static final Logger log = LoggerFactory.getLogger(KafkaViewRebuild.class);
    /** All Kafka-fed rebuilds pause the same listener: one at a time. */
    private static final Object RUNNING = new Object();
    private static volatile KafkaViewRebuild runningRebuild;

    private final ConsumerFactory<?, ?> consumerFactory;
    private final KafkaAdmin kafkaAdmin;
    private final KafkaListenerEndpointRegistry registry;
    private final EnvelopeReader reader;
    private final String groupId;
    private final Clock clock;
    private final DeadLetters deadLetters;
    private volatile RebuildProgress progress;
    private volatile String replaced;

    protected KafkaViewRebuild(ConsumerFactory<?, ?> consumerFactory, KafkaAdmin kafkaAdmin,
                               KafkaListenerEndpointRegistry registry, EnvelopeReader reader, String groupId,
                               Clock clock, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.consumerFactory = consumerFactory;
        this.kafkaAdmin = kafkaAdmin;
        this.registry = registry;
        this.reader = reader;
        this.groupId = groupId;
        this.clock = clock;
    }

    /** The topics the view is folded from. */
    protected abstract List<String> topics();

    /** The view's base collection name. */
    protected abstract String baseCollection();

    protected abstract String currentCollection();

    protected abstract void prepareEmpty(String collection);

    /** A record to fold and the topic it came from. */
    protected record TopicEvent(ReadEvent read, String topic) {
    }

    /** Folds a poll's records, in their order, into the collection being rebuilt (idempotently), in one write. */
    protected abstract void applyAll(String collection, List<TopicEvent> events);

    protected abstract String switchTo(String collection);

    protected abstract void drop(String collection);

    @Override
    public RebuildProgress start() {
        synchronized (RUNNING) {
            KafkaViewRebuild running = runningRebuild;
            if (running != null) {
                throw new IllegalStateException("a rebuild of " + running.name() + " is already running (started "
                        + running.progress.startedAt() + "); Kafka-fed views are rebuilt one at a time");
            }
            if (!DeadLetters.GATE.tryLock()) {
                throw new IllegalStateException("a dead-letter retry is running; start the rebuild when it has finished");
            }
            String target = baseCollection() + "_" + clock.millis();
            try {
                progress = new RebuildProgress(target, clock.instant(), null, "CATCHING_UP", 0, 0, 0, null);
                runningRebuild = this; // set under the gate: a retry that takes it next sees the rebuild
            } finally {
                DeadLetters.GATE.unlock();
            }
            Thread worker = new Thread(() -> run(target), "rebuild-" + name());
            worker.setDaemon(true);
            worker.start();
            return progress;
        }
    }

    /** The name of the Kafka-fed rebuild running on this instance, or null. */
    static String runningRebuildName() {
        KafkaViewRebuild running = runningRebuild;
        return running == null ? null : running.name();
    }

    @Override
    public ProjectionStatus describe() {
        Map<String, Object> position = new LinkedHashMap<>();
        long sourceEvents = 0;
        long lag = 0;
        try (AdminClient admin = AdminClient.create(kafkaAdmin.getConfigurationProperties())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (var d : admin.describeTopics(topics()).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
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
            partitions.sort((a, b) -> a.toString().compareTo(b.toString()));
            for (TopicPartition tp : partitions) {
                long first = begin.get(tp).offset();
                long last = end.get(tp).offset();
                OffsetAndMetadata at = committed.get(tp);
                long read = at == null ? first : at.offset();
                position.put(tp.toString(), read);
                sourceEvents += last - first;
                lag += Math.max(0, last - read);
            }
        } catch (Exception e) {
            position.put("error", "Kafka not reachable: " + e.getMessage());
            lag = -1;
        }
        return new ProjectionStatus(name(), "Kafka " + topics() + " from offset 0 (listener group " + groupId + ")",
                currentCollection(), position, sourceEvents, lag, progress, replaced);
    }

    /** Counts, the dead letters' statuses, and the keys held within each partition during this rebuild. */
    private static final class Fold {
        final long[] counts = new long[3]; // done, total, skipped
        Map<String, ParkedRecordRepository.Status> deadLetters = Map.of();
        final Set<String> heldInPartition = new HashSet<>();
    }

    private void run(String target) {
        Fold fold = new Fold();
        long[] counts = fold.counts;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            prepareEmpty(target);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics()) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            counts[1] = span(begin, end);
            fold.deadLetters = deadLetters.statuses();
            progress = progress.advanced(0, counts[1], 0, "CATCHING_UP");
            readTo(consumer, end, target, fold, "CATCHING_UP");

            MessageListenerContainer live = registry.getListenerContainer(CaseEventListener.LISTENER_ID);
            if (live == null) {
                throw new IllegalStateException("no listener container " + CaseEventListener.LISTENER_ID);
            }
            live.pause();
            try {
                awaitPaused(live);
                Map<TopicPartition, Long> finalEnd = consumer.endOffsets(partitions);
                counts[1] = span(begin, finalEnd);
                fold.deadLetters = deadLetters.statuses();
                readTo(consumer, finalEnd, target, fold, "DRAINING");
                replaced = switchTo(target);
            } finally {
                live.resume();
            }
            progress = progress.advanced(counts[0], counts[1], counts[2], "DRAINING").finished(clock.instant(), null);
            log.info("rebuilt {} into {} from {} records ({} skipped); replaced {}", name(), target, counts[0],
                    counts[2], replaced);
        } catch (Exception e) {
            log.error("rebuild of {} failed; the live view is unchanged", name(), e);
            progress = progress.advanced(counts[0], counts[1], counts[2], "FAILED").finished(clock.instant(), e.toString());
            try {
                drop(target);
            } catch (RuntimeException dropFailed) {
                log.warn("could not drop {}", target, dropFailed);
            }
        } finally {
            synchronized (RUNNING) {
                runningRebuild = null;
            }
        }
        try {
            deadLetters.releaseStranded();
        } catch (RuntimeException e) {
            log.warn("after the rebuild of {}: could not release held cases with nothing unreadable ahead; a retry "
                    + "of the case or its next record releases them", name(), e);
        }
    }

    private void readTo(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end, String target,
                        Fold fold, String phase) {
        long[] counts = fold.counts;
        List<TopicEvent> toApply = new ArrayList<>();
        while (!reached(consumer, end)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                ReadEvent read = eventToFold(record, fold);
                if (read == null) {
                    counts[2]++;
                } else {
                    toApply.add(new TopicEvent(read, record.topic()));
                }
                counts[0]++;
            }
            applyAll(target, toApply);
            toApply.clear();
            progress = progress.advanced(counts[0], counts[1], counts[2], phase);
        }
    }

    /**
     * The record's event, unless the live listener holds it back (see the class comment): then null, and it is
     * skipped.
     */
    private ReadEvent eventToFold(ConsumerRecord<String, String> record, Fold fold) {
        ParkedRecordRepository.Status status = fold.deadLetters.get(ParkedRecordRepository.idOf(record));
        String partitionKey = record.key() == null ? null
                : record.topic() + "|" + record.partition() + "|" + record.key();
        if (status == ParkedRecordRepository.Status.DISCARDED) {
            return null;
        }
        if (status != null && status.open()) {
            if (partitionKey != null) {
                fold.heldInPartition.add(partitionKey);
            }
            return null;
        }
        boolean appliedByRetry = status == ParkedRecordRepository.Status.APPLIED;
        if (!appliedByRetry && partitionKey != null && fold.heldInPartition.contains(partitionKey)) {
            return null;
        }
        ReadEvent read;
        try {
            read = reader.read(record);
        } catch (UnreadableRecordException e) {
            if (!appliedByRetry && partitionKey != null) {
                fold.heldInPartition.add(partitionKey); // the listener parks it and holds what follows
            }
            return null;
        }
        return read;
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static long span(Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {
        long total = 0;
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            total += e.getValue() - begin.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    private static void awaitPaused(MessageListenerContainer live) throws InterruptedException {
        if (!live.isRunning()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!live.isContainerPaused()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the live listener did not pause within 30 s; nothing was switched");
            }
            Thread.sleep(20);
        }
    }

    /** The listener's connection settings, without its group: this consumer commits nothing and joins no group. */
    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "civharm-rebuild-" + name() + "-" + clock.millis());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return config;
    }

    @Override
    public abstract List<Document> contents(String collection);

    /** When the current or last rebuild started, for messages. */
    Instant startedAt() {
        return progress == null ? null : progress.startedAt();
    }
}
