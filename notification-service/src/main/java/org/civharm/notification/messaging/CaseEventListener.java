package org.civharm.notification.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.civharm.contract.Topics;
import org.civharm.notification.service.ObligationService;
import org.civharm.notification.service.TimeSource;
import org.civharm.notification.store.ParkedRecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consumes both services' topics (group {@code notification-service}) and turns each record into obligation changes.
 * Offsets are committed per record after this method returns, i.e. after the Mongo writes (ack mode RECORD, no
 * auto-commit). A failure (Mongo unreachable, say) throws: the container's error handler retries the same record
 * with back-off, for as long as it takes — a record is never skipped. A record that cannot be read is parked in
 * {@code parked_records} and the consumer moves on.
 */
@Component
public class CaseEventListener {

    private static final Logger log = LoggerFactory.getLogger(CaseEventListener.class);

    private final EnvelopeReader reader;
    private final ObligationService obligations;
    private final ParkedRecordStore parked;
    private final TimeSource time;

    public CaseEventListener(EnvelopeReader reader, ObligationService obligations, ParkedRecordStore parked,
                             TimeSource time) {
        this.reader = reader;
        this.obligations = obligations;
        this.parked = parked;
        this.time = time;
    }

    @KafkaListener(id = "case-events", groupId = "${civharm.kafka.group-id:notification-service}",
            topics = {Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS},
            concurrency = "${civharm.kafka.listener-concurrency:1}")
    public void on(ConsumerRecord<String, String> record) {
        String source = record.topic() + "/" + record.partition() + "@" + record.offset();
        EnvelopeReader.Read read = reader.read(record);
        if (read instanceof EnvelopeReader.Read.Fact f) {
            obligations.ingest(f.fact(), source);
        } else if (read instanceof EnvelopeReader.Read.Ignored i) {
            log.debug("{}: {} does not concern obligations", source, i.eventType());
        } else if (read instanceof EnvelopeReader.Read.Unreadable u) {
            log.warn("{}: unreadable record parked: {}", source, u.reason());
            parked.park(new ParkedRecordStore.ParkedRecord(record.topic() + ":" + record.partition() + ":"
                    + record.offset(), record.topic(), record.partition(), record.offset(), record.key(),
                    record.value(), headers(record), u.reason(), time.now()));
        }
    }

    private static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
