package org.civharm.incident.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.EvidenceAttachedEvent;
import org.civharm.incident.api.AllegationStatus;
import org.civharm.incident.audit.EventStreamVerifier;
import org.civharm.incident.audit.IntegrityReport;
import org.civharm.incident.support.KafkaTestConsumer;
import org.civharm.incident.support.TestInfrastructure;
import org.civharm.incident.views.AllegationSummaryRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The register seed, started the way {@code infra/bench.sh --seed} starts it: 25 cases of 5 events appended in batches
 * of 40 events through the service's event store. The cases are real: hash chains verify, the aggregate loads them and
 * continues their chains, the view holds them and the publisher puts every event on Kafka in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegisterSeedTest {

    private static final Path REPORT = report();
    private static final int CASES = 25;
    private static final int EVENTS_PER_CASE = 5;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "incident_register_seed_test");
        registry.add("civharm.bench.register-seed.report", REPORT::toString);
        registry.add("civharm.bench.register-seed.case-prefix", () -> "SEEDTEST");
        registry.add("civharm.bench.register-seed.cases", () -> String.valueOf(CASES));
        registry.add("civharm.bench.register-seed.events-per-case", () -> String.valueOf(EVENTS_PER_CASE));
        registry.add("civharm.bench.register-seed.batch-events", () -> "40");
    }

    @Autowired
    EventStore eventStore;
    @Autowired
    CommandGateway commands;
    @Autowired
    EventStreamVerifier verifier;
    @Autowired
    AllegationSummaryRepository summaries;

    @Test
    void seedsRealCasesThatTheServiceVerifiesLoadsProjectsAndPublishes() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(REPORT));
        JsonNode report = new ObjectMapper().readTree(REPORT.toFile());
        assertThat(report.has("failure")).as("report %s", report).isFalse();
        assertThat(report.path("cases").asInt()).isEqualTo(CASES);
        assertThat(report.path("events").asLong()).isEqualTo((long) CASES * EVENTS_PER_CASE);

        // stored as the aggregate's own streams: same aggregate type, sequences from 0, filed → evidence → acknowledged
        List<? extends DomainEventMessage<?>> seeded = eventStore.readEvents("SEEDTEST-" + CASES).asStream().toList();
        assertThat(seeded).extracting(e -> (Object) e.getPayloadType()).containsExactly(AllegationFiledEvent.class,
                EvidenceAttachedEvent.class, EvidenceAttachedEvent.class, EvidenceAttachedEvent.class,
                AllegationAcknowledgedEvent.class);
        assertThat(seeded).extracting(DomainEventMessage::getSequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L);
        commands.sendAndWait(BenchCases.file("SEEDTEST-G", "test", Instant.now()));
        DomainEventMessage<?> commanded = eventStore.readEvents("SEEDTEST-G").next();
        assertThat(seeded).extracting(DomainEventMessage::getType).containsOnly(commanded.getType());
        // the same metadata (chain links, trace and correlation ids), so a seeded event is stored at a real one's size
        assertThat(seeded).allSatisfy(e -> assertThat(e.getMetaData().keySet())
                .isEqualTo(commanded.getMetaData().keySet()));

        // the chain verifies, and a command on a seeded case loads it and continues its chain
        assertThat(verifier.verify("SEEDTEST-7").status()).isEqualTo(IntegrityReport.Status.VERIFIED);
        assertThat(verifier.verify("SEEDTEST-7").events()).isEqualTo(EVENTS_PER_CASE);
        Object evidenceId = commands.sendAndWait(BenchCases.evidence("SEEDTEST-7", EVENTS_PER_CASE - 1, "test", Instant.now()));
        assertThat(evidenceId).isEqualTo("E-" + (EVENTS_PER_CASE - 1));
        IntegrityReport continued = verifier.verify("SEEDTEST-7");
        assertThat(continued.status()).isEqualTo(IntegrityReport.Status.VERIFIED);
        assertThat(continued.events()).isEqualTo(EVENTS_PER_CASE + 1);

        // projected like any other case
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(summaries.findById("SEEDTEST-" + CASES)).hasValueSatisfying(s ->
                        assertThat(s.status).isEqualTo(AllegationStatus.CREDIBLE)));

        // every seeded event on the incident topic, keyed by case, in stream order
        // (a publisher retry may send an event twice: consumers deduplicate on its id, and so does this count)
        Set<String> eventIds = new HashSet<>();
        List<ConsumerRecord<String, String>> published = KafkaTestConsumer.read(Topics.INCIDENT_EVENTS,
                r -> r.key().startsWith("SEEDTEST-") && !r.key().equals("SEEDTEST-G") && eventIds.add(eventId(r)),
                CASES * EVENTS_PER_CASE + 1, Duration.ofSeconds(60));
        assertThat(published).hasSize(CASES * EVENTS_PER_CASE + 1);
        List<Long> sequencesOfLastCase = published.stream().filter(r -> r.key().equals("SEEDTEST-" + CASES))
                .map(r -> readSequence(r.value())).toList();
        assertThat(sequencesOfLastCase).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    private static String eventId(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader(EventHeaders.EVENT_ID).value(), StandardCharsets.UTF_8);
    }

    private static long readSequence(String envelope) {
        try {
            return new ObjectMapper().readTree(envelope).path("sequence").asLong(-1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path report() {
        try {
            Path dir = Files.createTempDirectory("civharm-register-seed-test");
            dir.toFile().deleteOnExit();
            return dir.resolve("report.json");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
