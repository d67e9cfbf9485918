package org.civharm.notification.messaging;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.civharm.notification.service.ProjectionRebuild;
import org.civharm.notification.service.ProjectionStatus;
import org.civharm.notification.service.SourcePosition;
import org.civharm.notification.service.TimeSource;
import org.civharm.notification.service.WriteLock;
import org.civharm.notification.store.FactStore;
import org.civharm.notification.store.ParkedRecordStore.Status;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the {@code case_facts} view from the two topics, from offset 0, without taking it from readers:
 * <ol>
 *   <li>a separate consumer (no group: {@code assign} + {@code seekToBeginning}, nothing committed) reads every
 *       partition up to the end offsets taken at the start, folding each record into a new collection, while the live
 *       listener keeps feeding the live one;</li>
 *   <li>then, holding the write lock (this instance's listener waits between records), it reads up to the new end
 *       offsets and switches the pointer. Every write is idempotent (by event id), so a record applied by both the
 *       rebuild and the listener changes nothing.</li>
 * </ol>
 * Dead letters are respected so the rebuilt view equals the live one: a record parked, held or discarded there is not
 * applied, and neither is an unreadable record nor what follows it in its partition for the same case (the listener
 * will hold those too). A record of the other topic that the listener has not reached yet may be applied here though
 * the listener will hold it: harmless, since facts are a set and the retry that releases it adds nothing new.
 * Facts keep {@code source} and {@code receivedAt} from the replaced view (see {@link FactStore}).
 */
@Component
public class CaseFactsRebuild extends ProjectionRebuild {

    public static final String NAME = "case-facts";

    private final ConsumerFactory<?, ?> consumerFactory;
    private final RecordReader reader;
    private final FactStore facts;
    private final DeadLetters deadLetters;
    private final SourcePosition.Source source;
    private final TimeSource time;
    private final WriteLock lock;

    public CaseFactsRebuild(ConsumerFactory<?, ?> consumerFactory, RecordReader reader, FactStore facts,
                            DeadLetters deadLetters, SourcePosition.Source source, TimeSource time, WriteLock lock,
                            Clock clock) {
        super(clock);
        this.consumerFactory = consumerFactory;
        this.reader = reader;
        this.facts = facts;
        this.deadLetters = deadLetters;
        this.source = source;
        this.time = time;
        this.lock = lock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProjectionStatus describe() {
        String live = facts.currentCollection();
        SourcePosition p = source.read();
        return new ProjectionStatus(NAME, "Kafka " + ListenerPosition.TOPICS + " from offset 0", live, p.position(),
                p.sourceEvents(), p.lag(), progress(), replaced());
    }

    @Override
    protected String baseCollection() {
        return FactStore.COLLECTION;
    }

    /** Counts and the cases held within each partition during this rebuild. */
    private static final class Fold {
        long done;
        long total;
        long skipped;
        Map<String, Status> deadLetters;
        final Set<String> heldInPartition = new HashSet<>();
    }

    @Override
    protected String rebuildInto(String target) throws Exception {
        Fold fold = new Fold();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            facts.prepareEmpty(target);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : ListenerPosition.TOPICS) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            fold.total = span(begin, end);
            fold.deadLetters = deadLetters.statuses();
            report(0, fold.total, 0, "CATCHING_UP");
            readTo(consumer, end, target, fold, "CATCHING_UP");
            report(fold.done, fold.total, fold.skipped, "DRAINING"); // waiting for the write lock first
            return lock.call(() -> {
                Map<TopicPartition, Long> finalEnd = consumer.endOffsets(partitions);
                fold.total = span(begin, finalEnd);
                fold.deadLetters = deadLetters.statuses();
                readTo(consumer, finalEnd, target, fold, "DRAINING");
                return facts.switchTo(target);
            });
        }
    }

    private void readTo(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end, String target,
                        Fold fold, String phase) {
        while (!reached(consumer, end)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                if (!apply(record, target, fold)) {
                    fold.skipped++;
                }
                fold.done++;
            }
            report(fold.done, fold.total, fold.skipped, phase);
        }
    }

    /** Folds one record; false when it is not applied (see the class comment). */
    private boolean apply(ConsumerRecord<String, String> record, String target, Fold fold) {
        String id = CaseEventListener.idOf(record);
        Status status = fold.deadLetters.get(id);
        if (status == Status.DISCARDED) {
            return false;
        }
        String heldKey = record.key() == null ? null : record.topic() + ":" + record.partition() + ":" + record.key();
        if (heldKey != null && fold.heldInPartition.contains(heldKey)) {
            return false;
        }
        if (status == Status.PARKED || status == Status.HELD) {
            if (heldKey != null) {
                fold.heldInPartition.add(heldKey);
            }
            return false;
        }
        EnvelopeReader.Read read = reader.read(record);
        if (read instanceof EnvelopeReader.Read.Fact f) {
            facts.rebuildInto(target, f.fact(), record.topic() + "/" + record.partition() + "@" + record.offset(),
                    time.now());
            return true;
        }
        if (read instanceof EnvelopeReader.Read.Unreadable && heldKey != null) {
            fold.heldInPartition.add(heldKey);
        }
        return read instanceof EnvelopeReader.Read.Ignored;
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

    /** The listener's connection settings, without its group: this consumer commits nothing and joins no group. */
    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "civharm-rebuild-" + NAME + "-" + clock.millis());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return config;
    }

    @Override
    protected void drop(String collection) {
        facts.drop(collection);
    }

    @Override
    public List<Document> contents(String collection) {
        return facts.contents(collection);
    }
}
