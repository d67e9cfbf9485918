package org.civharm.incident.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.config.AxonMongoConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes every stored incident event to {@link Topics#INCIDENT_EVENTS}, keyed by case id, from a tracking
 * processor. Every send of a batch is acknowledged (acks=all, idempotent producer) before the processor's token moves
 * on: the handler starts the sends without waiting, and {@link #batchBarrier()} — an interceptor on the processing
 * group — waits for all of them after the batch's last event, before Axon stores the token (in the batch's commit).
 * Sending a batch in one go instead of one round trip per event is what lets the publisher keep up with bursts; the
 * idempotent producer keeps per-partition order with several sends in flight. If Kafka is down a send fails, the
 * batch is rolled back and retried with back-off, so an outage delays publication and never loses an event. A crash
 * between send and token update re-sends: consumers deduplicate on the event id.
 */
@Component
@ProcessingGroup(AxonMongoConfig.KAFKA_PUBLISHER)
public class IncidentEventPublisher {

    static final String PRODUCED_BY = "incident-service";
    /** Unit-of-work resource: the sends of the current batch not yet awaited. */
    private static final String PENDING_SENDS = IncidentEventPublisher.class.getName() + ".pendingSends";

    private final KafkaTemplate<String, String> kafka;
    /** Written for the declared type, so the event carries its {@code type} property whatever its class. */
    private final ObjectWriter envelopeWriter;
    private final long sendTimeoutMs;

    public IncidentEventPublisher(KafkaTemplate<String, String> kafka, ObjectMapper contractMapper,
                                  @Value("${civharm.kafka.send-timeout-ms:30000}") long sendTimeoutMs) {
        this.kafka = kafka;
        this.envelopeWriter = contractMapper.writerFor(new TypeReference<EventEnvelope<IncidentEvent>>() {
        });
        this.sendTimeoutMs = sendTimeoutMs;
    }

    @EventHandler
    public void on(IncidentEvent event, DomainEventMessage<?> message)
            throws JsonProcessingException, ExecutionException, InterruptedException, TimeoutException {
        String type = IncidentEvent.typeName(event.getClass());
        EventEnvelope<IncidentEvent> envelope = new EventEnvelope<>(message.getIdentifier(), type,
                EventEnvelope.CURRENT_CONTRACT_VERSION, event.caseId(), message.getSequenceNumber(), PRODUCED_BY,
                message.getTimestamp(), event, (String) message.getMetaData().get(EventHashes.HASH),
                (String) message.getMetaData().get(EventHashes.PREVIOUS_HASH));
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INCIDENT_EVENTS, event.caseId(),
                envelopeWriter.writeValueAsString(envelope));
        record.headers().add(EventHeaders.EVENT_ID, message.getIdentifier().getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.CONTRACT_VERSION,
                String.valueOf(EventEnvelope.CURRENT_CONTRACT_VERSION).getBytes(StandardCharsets.UTF_8));
        CompletableFuture<?> sent = kafka.send(record);
        if (!CurrentUnitOfWork.isStarted()) {
            sent.get(sendTimeoutMs, TimeUnit.MILLISECONDS);
            return;
        }
        CurrentUnitOfWork.get().<List<CompletableFuture<?>>>getOrComputeResource(PENDING_SENDS, k -> new ArrayList<>())
                .add(sent);
    }

    /**
     * Waits for the batch's sends after its last event (and after a single event outside a batch), so the token
     * stored at commit never passes an event that is not on Kafka. Runs for every event of the batch, whichever
     * handler took it.
     */
    public MessageHandlerInterceptor<EventMessage<?>> batchBarrier() {
        return (unitOfWork, chain) -> {
            Object result = chain.proceed();
            if (!(unitOfWork instanceof BatchingUnitOfWork<?> batch) || batch.isLastMessage()) {
                List<CompletableFuture<?>> pending = unitOfWork.getResource(PENDING_SENDS);
                if (pending != null) {
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sendTimeoutMs);
                    for (CompletableFuture<?> sent : pending) {
                        sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    }
                    pending.clear();
                }
            }
            return result;
        };
    }
}
