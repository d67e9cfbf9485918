package org.civharm.accountability.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.civharm.accountability.messaging.EnvelopeReader.ReadEvent;
import org.civharm.accountability.messaging.EnvelopeReader.UnreadableRecordException;
import org.civharm.accountability.support.AccountabilityMother;
import org.civharm.accountability.support.IncidentMother;
import org.civharm.accountability.support.IncidentTopic;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.Topics;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AmendsOfferedEvent;
import org.civharm.contract.accountability.AmendsType;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the listener reads the envelopes of both topics: tolerant where the contract allows, strict where it relies. */
class EnvelopeReaderTest {

    private static final String CASE = "RAQQA-2017-0628";
    private static final ObjectWriter ACCOUNTABILITY_WRITER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .writerFor(new TypeReference<EventEnvelope<AccountabilityEvent>>() {
            });

    private final EnvelopeReader reader = new EnvelopeReader();

    @Test
    void an_incident_event_is_read_with_who_when_and_why() {
        String json = IncidentTopic.envelope(IncidentMother.acknowledged(CASE), "e-1", 3);

        ReadEvent read = reader.read(Topics.INCIDENT_EVENTS, CASE, json);

        assertThat(read.event()).isInstanceOf(AllegationAcknowledgedEvent.class);
        assertThat(read.type()).isEqualTo("AllegationAcknowledged");
        assertThat(read.envelope().sequence()).isEqualTo(3);
        assertThat(read.actor()).isEqualTo(IncidentMother.INTAKE_ACTOR);
        assertThat(read.occurredAt()).isEqualTo(IncidentMother.ACKNOWLEDGED_AT);
        assertThat(read.recordedAt()).isEqualTo(IncidentMother.ACKNOWLEDGED_RECORDED_AT);
        assertThat(read.why()).isEqualTo("8 civilians acknowledged for one of 17 strikes on 28 June 2017");
        assertThat(json).contains(read.eventJson());
    }

    /** The event JSON is kept exactly as published: discriminator, kind of amends and the exact amount. */
    @Test
    void amends_offered_keeps_its_discriminator_its_kind_and_its_exact_amount() throws Exception {
        AmendsOfferedEvent offered = AccountabilityMother.offered(CASE, "AM-1", Instant.parse("2019-01-11T14:45:09Z"));
        String json = ACCOUNTABILITY_WRITER.writeValueAsString(new EventEnvelope<AccountabilityEvent>("e-2",
                "AmendsOffered", 1, CASE, 7, "accountability-service", offered.recordedAt(), offered));
        assertThat(json).contains("\"type\":\"AmendsOffered\"").contains("\"amendsType\":\"EX_GRATIA\"");

        ReadEvent read = reader.read(Topics.ACCOUNTABILITY_EVENTS, CASE, json);

        AmendsOfferedEvent event = (AmendsOfferedEvent) read.event();
        assertThat(event.amendsType()).isEqualTo(AmendsType.EX_GRATIA);
        assertThat(event.offer().amount()).isEqualTo(new BigDecimal("2500.00"));
        assertThat(read.eventJson()).contains("\"type\":\"AmendsOffered\"").contains("\"amendsType\":\"EX_GRATIA\"")
                .contains("\"amount\":2500.00");
        assertThat(read.why()).isEqualTo(AccountabilityMother.AMENDS_DESCRIPTION);
    }

    @Test
    void properties_added_by_a_later_contract_version_are_ignored() {
        String json = IncidentTopic.envelope(IncidentMother.acknowledged(CASE), "e-1", 3)
                .replace("\"eventId\"", "\"traceId\":\"abc\",\"eventId\"")
                .replace("\"assessedBy\"", "\"assessmentCell\":\"CIVCAS\",\"assessedBy\"");

        assertThat(reader.read(Topics.INCIDENT_EVENTS, CASE, json).event()).isInstanceOf(AllegationAcknowledgedEvent.class);
    }

    @Test
    void records_that_cannot_be_read_are_refused_with_the_reason() {
        String good = IncidentTopic.envelope(IncidentMother.acknowledged(CASE), "e-1", 3);
        assertUnreadable(Topics.INCIDENT_EVENTS, CASE, "{not json", "not a readable event envelope");
        assertUnreadable(Topics.INCIDENT_EVENTS, CASE, "", "empty record value");
        assertUnreadable(Topics.INCIDENT_EVENTS, CASE, good.replace("\"AllegationAcknowledged\"", "\"AllegationEscalated\""),
                "AllegationEscalated");
        assertUnreadable(Topics.INCIDENT_EVENTS, "OTHER-CASE", good, "record key OTHER-CASE differs");
        assertUnreadable(Topics.INCIDENT_EVENTS, CASE, good.replace("\"eventType\":\"AllegationAcknowledged\"",
                "\"eventType\":\"AllegationDismissed\""), "eventType AllegationDismissed differs");
        assertUnreadable(Topics.INCIDENT_EVENTS, CASE, good.replace("\"eventId\":\"e-1\",", ""), "no eventId");
        assertUnreadable(Topics.ACCOUNTABILITY_EVENTS, CASE, good, "AllegationAcknowledged");
        assertUnreadable("some.other.topic", CASE, good, "no reader for topic");
    }

    private void assertUnreadable(String topic, String key, String value, String reason) {
        assertThatThrownBy(() -> reader.read(topic, key, value))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining(reason);
    }
}
