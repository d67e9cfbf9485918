package org.civharm.accountability.domain;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.Money;
import org.civharm.contract.integrity.EventHashes;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.accountability.support.AccountabilityMother.offer;
import static org.civharm.accountability.support.AccountabilityMother.offered;
import static org.civharm.accountability.support.AccountabilityMother.openInvestigation;
import static org.civharm.accountability.support.AccountabilityMother.openOnAcknowledgement;
import static org.civharm.accountability.support.AccountabilityMother.openedOnAcknowledgement;

/**
 * The record's hash chain as the aggregate builds it: each event's hash over its stored JSON, its position and the
 * previous hash, carried in its metadata; the first event links to the genesis hash; the chain continues from the
 * last hash of the history (or of a snapshot).
 */
class HashChainTest {

    private static final String CASE = "CHAIN-UNIT";
    private static final Instant NOW = Instant.parse("2019-03-02T09:30:00Z");

    private FixtureConfiguration<AccountabilityRecord> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(AccountabilityRecord.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void the_first_event_links_to_the_genesis_hash() {
        fixture.givenNoPriorActivity().when(openOnAcknowledgement(CASE)).expectEventsMatching(chained(EventHashes.GENESIS));
    }

    @Test
    void a_later_event_links_to_the_hash_of_the_last_one_and_amounts_hash_as_stored() {
        String previous = "ab".repeat(32);
        DomainEventMessage<?> opened = new GenericDomainEventMessage<>("AccountabilityRecord", CASE, 0,
                openedOnAcknowledgement(CASE, NOW), MetaData.with(EventHashes.HASH, previous)
                .and(EventHashes.PREVIOUS_HASH, EventHashes.GENESIS));
        fixture.given(List.of(opened)).when(openInvestigation(CASE)).expectEventsMatching(chained(previous));

        DomainEventMessage<?> investigation = new GenericDomainEventMessage<>("AccountabilityRecord", CASE, 1,
                org.civharm.accountability.support.AccountabilityMother.investigationOpened(CASE, "INV-1", NOW),
                MetaData.with(EventHashes.HASH, "cd".repeat(32)).and(EventHashes.PREVIOUS_HASH, previous));
        fixture.given(List.of(opened, investigation))
                .when(offer(CASE, org.civharm.contract.accountability.AmendsType.EX_GRATIA,
                        new Money(new BigDecimal("2500.00"), "USD")))
                .expectEventsMatching(chained("cd".repeat(32)));
    }

    @Test
    void the_hashed_form_is_what_a_plain_parser_reads_from_the_stored_json() throws Exception {
        AccountabilityEvent event = offered(CASE, "AM-1", NOW);
        String stored = EventJson.newMapper().writeValueAsString(event);
        assertThat(stored).contains("\"amount\":2500.00");
        // what the integrity check, the export and infra/verify-export.sh compute over
        assertThat(EventJson.tree(event)).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored));
        assertThat(EventJson.tree(event).at("/offer/amount").toString()).isEqualTo("2500.0");
        // the trap avoided: a tree made from the record directly would hash the amount as 2.5E+3
        assertThat(EventJson.newMapper().valueToTree(event).at("/offer/amount").toString()).isEqualTo("2.5E+3");
    }

    /** One event whose metadata links to {@code previous} and whose hash is recomputable from its stored JSON. */
    private static Matcher<List<? super EventMessage<?>>> chained(String previous) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object actual) {
                List<?> events = (List<?>) actual;
                if (events.size() != 1 || !(events.get(0) instanceof DomainEventMessage<?> m)) {
                    return false;
                }
                AccountabilityEvent event = (AccountabilityEvent) m.getPayload();
                String expected = EventHashes.hash(CASE, m.getSequenceNumber(),
                        AccountabilityEvent.typeName(event.getClass()), previous, EventJson.tree(event));
                return previous.equals(m.getMetaData().get(EventHashes.PREVIOUS_HASH))
                        && expected.equals(m.getMetaData().get(EventHashes.HASH));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("one event linked to " + previous + " with its recomputable hash");
            }
        };
    }
}
