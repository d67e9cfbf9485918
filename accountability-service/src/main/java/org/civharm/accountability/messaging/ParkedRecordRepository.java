package org.civharm.accountability.messaging;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bson.Document;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Repository;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Kafka records the service could not read (malformed JSON, an unknown event type, an envelope that contradicts
 * itself), kept in the {@code parked_records} collection with where they came from and why, so the listener can move
 * on without losing them. One document per topic/partition/offset: parking the same record twice is harmless.
 */
@Repository
public class ParkedRecordRepository {

    static final String COLLECTION = "parked_records";
    /** Values above this size are cut in the parked copy (the record itself stays on the topic). */
    static final int MAX_VALUE_CHARS = 200_000;
    private static final Logger log = LoggerFactory.getLogger(ParkedRecordRepository.class);

    private final MongoCollection<Document> collection;
    private final Clock clock;
    private final Counter parkedCounter;

    public ParkedRecordRepository(MongoClient client, CivharmMongoProperties mongo, Clock clock, MeterRegistry meters) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
        this.clock = clock;
        this.parkedCounter = Counter.builder("civharm.kafka.parked.records")
                .description("Kafka records parked because they could not be read").register(meters);
    }

    /** Stores the record with the reason it was parked; throws if MongoDB is unreachable (the record is retried). */
    public void park(ConsumerRecord<?, ?> record, String error) {
        String id = record.topic() + "-" + record.partition() + "-" + record.offset();
        String value = record.value() == null ? null : String.valueOf(record.value());
        boolean cut = value != null && value.length() > MAX_VALUE_CHARS;
        Document headers = new Document();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        Document doc = new Document("_id", id)
                .append("topic", record.topic())
                .append("partition", record.partition())
                .append("offset", record.offset())
                .append("key", record.key() == null ? null : String.valueOf(record.key()))
                .append("headers", headers)
                .append("value", cut ? value.substring(0, MAX_VALUE_CHARS) : value)
                .append("valueTruncated", cut)
                .append("error", error)
                .append("parkedAt", Date.from(clock.instant()));
        collection.replaceOne(Filters.eq("_id", id), doc, new ReplaceOptions().upsert(true));
        parkedCounter.increment();
        log.warn("parked unreadable record {} (key {}): {}", id, record.key(), error);
    }

    /** The parked records of a topic, oldest offset first (for operators and tests). */
    public List<Document> findByTopic(String topic) {
        List<Document> out = new ArrayList<>();
        collection.find(Filters.eq("topic", topic)).sort(Sorts.ascending("partition", "offset")).into(out);
        return out;
    }
}
