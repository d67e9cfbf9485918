package org.civharm.incident.bench;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.contract.integrity.EventHashes;
import org.civharm.incident.domain.Allegation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The register seed writes what the aggregate would: for the benchmark's commands, {@link Allegation} records the
 * same payloads and the same hash-chain metadata as {@link RegisterSeed#caseStream}, event by event.
 */
class RegisterSeedStreamTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final String CASE = "SEED-1";

    private FixtureConfiguration<Allegation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Allegation.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void each_seeded_event_is_what_the_aggregate_records_for_the_same_command() {
        List<DomainEventMessage<IncidentEvent>> stream = RegisterSeed.caseStream(CASE, 5, NOW);

        fixture.givenNoPriorActivity()
                .when(BenchCases.file(CASE, RegisterSeed.ACTOR, NOW))
                .expectEvents(chained(stream.get(0)));
        for (int n = 1; n <= 3; n++) {
            fixture.given(List.copyOf(stream.subList(0, n)))
                    .when(BenchCases.evidence(CASE, n, RegisterSeed.ACTOR, NOW))
                    .expectResultMessagePayload("E-" + n)
                    .expectEvents(chained(stream.get(n)));
        }
        fixture.given(List.copyOf(stream.subList(0, 4)))
                .when(BenchCases.acknowledge(CASE, RegisterSeed.ACTOR, NOW))
                .expectEvents(chained(stream.get(4)));
    }

    @Test
    void a_two_event_case_is_filed_then_acknowledged() {
        List<DomainEventMessage<IncidentEvent>> stream = RegisterSeed.caseStream(CASE, 2, NOW);

        fixture.given(List.copyOf(stream.subList(0, 1)))
                .when(BenchCases.acknowledge(CASE, RegisterSeed.ACTOR, NOW))
                .expectEvents(chained(stream.get(1)));
    }

    /**
     * The event with only its chain links as metadata: the fixture gives its events no trace or correlation ids (the
     * command bus's correlation providers add those), so those are left out of the comparison.
     */
    private static EventMessage<?> chained(DomainEventMessage<IncidentEvent> seeded) {
        return new GenericEventMessage<>(seeded.getPayload(),
                seeded.getMetaData().subset(EventHashes.HASH, EventHashes.PREVIOUS_HASH));
    }
}
