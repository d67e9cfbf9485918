package org.civharm.notification.channels;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.notification.config.ChannelProperties;
import org.civharm.notification.domain.AlertTransition;
import org.civharm.notification.domain.Delivery;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Publishes alert events on {@link Topics#ALERT_EVENTS}, keyed by case id, with the usual civharm headers (event id,
 * type, contract version) plus {@code civharm-delivery-id}. The producer is idempotent with {@code acks=all}, and the
 * send is awaited before the delivery is recorded as sent; consumers deduplicate on the event id.
 */
public class KafkaAlertChannel implements AlertChannel {

    public static final String NAME = "kafka";
    public static final String DELIVERY_ID_HEADER = "civharm-delivery-id";

    private final ChannelProperties.Kafka config;
    private final KafkaTemplate<String, String> kafka;
    private final Duration timeout;

    public KafkaAlertChannel(ChannelProperties.Kafka config, KafkaTemplate<String, String> kafka, Duration timeout) {
        this.config = config;
        this.kafka = kafka;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean carries(AlertTransition transition) {
        return config.transitions().contains(transition);
    }

    @Override
    public void send(Delivery delivery) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ALERT_EVENTS, delivery.caseId(),
                delivery.payload());
        record.headers().add(EventHeaders.EVENT_ID, delivery.eventId().getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.EVENT_TYPE, delivery.transition().eventType().getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.CONTRACT_VERSION,
                String.valueOf(EventEnvelope.CURRENT_CONTRACT_VERSION).getBytes(StandardCharsets.UTF_8));
        record.headers().add(DELIVERY_ID_HEADER, delivery.id().getBytes(StandardCharsets.UTF_8));
        kafka.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
