package org.civharm.accountability.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.civharm.accountability.config.AxonMongoConfig;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.integrity.EventHashes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes every stored accountability event to {@link Topics#ACCOUNTABILITY_EVENTS}, keyed by case id, from a
 * tracking processor. The send is awaited (acks=all, idempotent producer) before the processor's token moves on; if
 * Kafka is down the handler throws, the processor backs off and retries the same event, so an outage delays
 * publication and never loses an event. A crash between send and token update re-sends: consumers deduplicate on
 * the event id. Each envelope carries the event's {@code hash} and {@code previousHash} from the record's hash chain
 * (the event's metadata), so consumers can verify the stream as received.
 */
@Component
@ProcessingGroup(AxonMongoConfig.KAFKA_PUBLISHER)
public class AccountabilityEventPublisher {

    public static final String PRODUCED_BY = "accountability-service";

    private final KafkaTemplate<String, String> kafka;
    /** Written for the declared type, so the event carries its {@code type} property whatever its class. */
    private final ObjectWriter envelopeWriter;
    private final long sendTimeoutMs;

    public AccountabilityEventPublisher(KafkaTemplate<String, String> kafka, ObjectMapper contractMapper,
                                        @Value("${civharm.kafka.send-timeout-ms:30000}") long sendTimeoutMs) {
        this.kafka = kafka;
        this.envelopeWriter = contractMapper.writerFor(new TypeReference<EventEnvelope<AccountabilityEvent>>() {
        });
        this.sendTimeoutMs = sendTimeoutMs;
    }

    @EventHandler
    public void on(AccountabilityEvent event, DomainEventMessage<?> message)
            throws JsonProcessingException, ExecutionException, InterruptedException, TimeoutException {
        String type = AccountabilityEvent.typeName(event.getClass());
        EventEnvelope<AccountabilityEvent> envelope = new EventEnvelope<>(message.getIdentifier(), type,
                EventEnvelope.CURRENT_CONTRACT_VERSION, event.caseId(), message.getSequenceNumber(), PRODUCED_BY,
                message.getTimestamp(), event, (String) message.getMetaData().get(EventHashes.HASH),
                (String) message.getMetaData().get(EventHashes.PREVIOUS_HASH));
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ACCOUNTABILITY_EVENTS, event.caseId(),
                envelopeWriter.writeValueAsString(envelope));
        record.headers().add(EventHeaders.EVENT_ID, message.getIdentifier().getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.CONTRACT_VERSION,
                String.valueOf(EventEnvelope.CURRENT_CONTRACT_VERSION).getBytes(StandardCharsets.UTF_8));
        kafka.send(record).get(sendTimeoutMs, TimeUnit.MILLISECONDS);
    }
}
