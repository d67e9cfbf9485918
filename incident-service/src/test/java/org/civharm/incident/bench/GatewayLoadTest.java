package org.civharm.incident.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.incident.support.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The benchmark's gateway load runner, started the way {@code infra/bench.sh} starts it: it files and acknowledges
 * real cases through the command gateway and reports figures that match what the event store holds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayLoadTest {

    private static final Path REPORT = report();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "incident_gateway_load_test");
        registry.add("civharm.bench.gateway-load.report", REPORT::toString);
        registry.add("civharm.bench.gateway-load.case-prefix", () -> "GWTEST");
        registry.add("civharm.bench.gateway-load.clients", () -> "2");
        registry.add("civharm.bench.gateway-load.warm-up-seconds", () -> "1");
        registry.add("civharm.bench.gateway-load.seconds", () -> "2");
    }

    @Autowired
    EventStore eventStore;

    @Test
    void filesAndAcknowledgesCasesThroughTheGatewayAndReportsWhatItDid() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(REPORT));
        JsonNode report = new ObjectMapper().readTree(REPORT.toFile());

        assertThat(report.path("failures").asLong()).isZero();
        long commands = report.path("commands").asLong();
        assertThat(commands).isPositive().isEven();
        assertThat(report.path("commandsPerSecond").asDouble())
                .isCloseTo(commands / report.path("seconds").asDouble(), org.assertj.core.data.Offset.offset(0.01));
        assertThat(report.path("p99Ms").asDouble()).isGreaterThanOrEqualTo(report.path("p50Ms").asDouble());

        // the measured cases are real: each was filed, then acknowledged, in the event store
        String prefix = report.path("casePrefix").asText();
        assertThat(prefix).isEqualTo("GWTEST-M-");
        for (int n : List.of(1, 2)) {
            List<? extends DomainEventMessage<?>> events = eventStore.readEvents(prefix + n).asStream().toList();
            assertThat(events).extracting(e -> (Object) e.getPayloadType())
                    .containsExactly(AllegationFiledEvent.class, AllegationAcknowledgedEvent.class);
            assertThat(events.get(0).getPayload()).extracting("actor").isEqualTo("bench.gateway");
        }
    }

    private static Path report() {
        try {
            Path dir = Files.createTempDirectory("civharm-gateway-load-test");
            dir.toFile().deleteOnExit();
            return dir.resolve("report.json");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
