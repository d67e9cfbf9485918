package org.civharm.accountability.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.civharm.accountability.config.Roles;
import org.civharm.accountability.support.AccountabilityMother;
import org.civharm.accountability.support.IncidentMother;
import org.civharm.accountability.support.IncidentTopic;
import org.civharm.accountability.support.ServiceIntegrationTest;
import org.civharm.accountability.support.TestTokens;
import org.civharm.accountability.views.IncidentCaseRepository;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sequenced dead letters on the real broker: a poison record of one case (malformed JSON, an unknown event type, a
 * newer contract version) is parked and every later record of that case — from either topic — is held behind it,
 * while other cases flow on. The admin endpoints list them, a retry applies them in order once they can be read, a
 * discard (with who and why) lets the rest through; the case then catches up: the record opened exactly once, the
 * case file complete, nothing twice. A rebuild of the Kafka-fed views holds back what the listener holds back.
 */
class DeadLetterTest extends ServiceIntegrationTest {

    private static final String ADMIN = "admin.dl";

    @Autowired
    CaseEventListener listener;
    @Autowired
    ParkedRecordRepository parked;
    @Autowired
    IncidentCaseRepository incidentCases;
    @Autowired
    EnvelopeReader reader;

    @Test
    void malformed_json_and_an_unknown_type_hold_their_case_until_discarded_then_the_case_catches_up() {
        String a = "DL-MALFORMED-1";
        String b = "DL-FLOWING-1";
        IncidentTopic.publish(IncidentMother.filed(a), 0);
        await().atMost(WAIT).until(() -> incidentCases.findById(a).isPresent());

        IncidentTopic.send(a, "{\"eventId\": \"broken", null, null);
        String unknownType = IncidentTopic.envelope(IncidentMother.revised(a, 1, Instant.parse("2018-05-01T00:00:00Z")),
                UUID.randomUUID().toString(), 1).replace("\"CasualtyFiguresRevised\"", "\"AllegationEscalated\"");
        IncidentTopic.send(a, unknownType, null, "AllegationEscalated");
        String ackId = IncidentTopic.publish(IncidentMother.acknowledged(a), 1);
        IncidentTopic.publish(IncidentMother.revised(a, 1, Instant.parse("2018-08-02T10:00:00Z")), 2);
        // another case, published after: it is not held up
        IncidentTopic.publish(IncidentMother.filed(b), 0);
        IncidentTopic.publish(IncidentMother.acknowledged(b), 1);

        awaitRecordOpened(b);
        JsonNode held = awaitDeadLetters(a, 1, 3);
        JsonNode records = held.get("records");
        assertThat(records.get(0).get("status").asText()).isEqualTo("PARKED");
        assertThat(records.get(0).get("reason").asText()).startsWith("not a readable event envelope");
        assertThat(records.get(0).get("heldBehind").asBoolean()).isFalse();
        assertThat(records.get(0).get("value").asText()).isEqualTo("{\"eventId\": \"broken");
        String poison = records.get(0).get("id").asText();
        for (int i = 1; i < 4; i++) {
            assertThat(records.get(i).get("status").asText()).isEqualTo("HELD");
            assertThat(records.get(i).get("heldBehind").asBoolean()).isTrue();
            assertThat(records.get(i).get("heldBehindRecord").asText()).isEqualTo(poison);
            assertThat(records.get(i).hasNonNull("reason")).as("held unread").isFalse();
            assertThat(records.get(i).get("offset").asLong()).isGreaterThan(records.get(i - 1).get("offset").asLong());
        }
        String unknown = records.get(1).get("id").asText();
        assertThat(streamLength(a)).as("the acknowledgement is held: no record").isZero();
        assertThat(incidentCases.findById(a).orElseThrow().lastSequence).isZero();
        assertThat(body(get("/cases/" + a + "/file")).get("count").asInt()).isEqualTo(1);
        JsonNode holding = body(get("/admin/dead-letters?holding=true&size=200"));
        assertThat(holding.get("items")).anySatisfy(c -> {
            assertThat(c.get("caseId").asText()).isEqualTo(a);
            assertThat(c.get("parked").asInt()).isEqualTo(1);
            assertThat(c.get("held").asInt()).isEqualTo(3);
        });
        assertThat(holding.get("items")).noneSatisfy(c -> assertThat(c.get("caseId").asText()).isEqualTo(b));

        // the poison record delivered again (a redelivery after a crash): set aside once, nothing changes
        listener.on(List.of(consumed(parked.find(poison).orElseThrow()), consumed(parked.find(unknown).orElseThrow())));
        assertThat(parked.ofCase(a)).hasSize(4);
        assertThat(parked.ofCase(a).stream().map(ParkedRecordRepository.DeadLetter::position).distinct()).hasSize(4);

        // one poll with a new case's unreadable record and a later record of that case: the later one is held behind
        // it, not applied (the poll's dead letters, read once, are brought up to date when the listener parks)
        String c = "DL-ONE-POLL-1";
        listener.on(List.of(
                new ConsumerRecord<>(Topics.INCIDENT_EVENTS, 0, 9_000_000L, c, "{\"eventId\": \"broken"),
                new ConsumerRecord<>(Topics.INCIDENT_EVENTS, 0, 9_000_001L, c,
                        IncidentTopic.envelope(IncidentMother.filed(c), UUID.randomUUID().toString(), 0))));
        assertThat(parked.ofCase(c)).extracting(ParkedRecordRepository.DeadLetter::status)
                .containsExactly(ParkedRecordRepository.Status.PARKED, ParkedRecordRepository.Status.HELD);
        assertThat(incidentCases.findById(c)).isEmpty();

        // refusals: no reason (400 naming it), a held record (409), an unknown record (404), not an admin (403)
        assertThat(fields(admin(HttpMethod.POST, discardPath(a, poison), Map.of()))).containsExactly("reason");
        assertThat(fields(admin(HttpMethod.POST, discardPath(a, poison), Map.of("reason", " ")))).containsExactly("reason");
        ResponseEntity<String> heldDiscard = admin(HttpMethod.POST, discardPath(a, unknown), Map.of("reason", "x"));
        assertThat(status(heldDiscard)).isEqualTo(409);
        assertThat(body(heldDiscard).get("detail").asText()).contains("held behind " + poison);
        assertThat(status(admin(HttpMethod.POST, discardPath(a, Topics.INCIDENT_EVENTS + "-0-999999"),
                Map.of("reason", "x")))).isEqualTo(404);
        assertThat(status(post("/admin/dead-letters/" + a + "/retries", null))).isEqualTo(403);

        ResponseEntity<String> discarded = admin(HttpMethod.POST, discardPath(a, poison),
                Map.of("reason", "truncated by a broken producer; the event is in the next record"));
        assertThat(status(discarded)).as(discarded.getBody()).isEqualTo(200);
        assertThat(body(discarded).get("status").asText()).isEqualTo("DISCARDED");
        assertThat(body(discarded).get("closedBy").asText()).isEqualTo(ADMIN);
        assertThat(body(discarded).get("closedAt").asText()).isNotBlank();
        assertThat(body(discarded).get("discardReason").asText()).startsWith("truncated by a broken producer");
        assertThat(status(admin(HttpMethod.POST, discardPath(a, poison), Map.of("reason", "again")))).isEqualTo(409);

        // the retry stops at the unknown type: now the poison record, with its reason
        JsonNode stopped = body(admin(HttpMethod.POST, "/admin/dead-letters/" + a + "/retries", null));
        assertThat(stopped.get("released").asBoolean()).isFalse();
        assertThat(stopped.get("applied").asInt()).isZero();
        assertThat(stopped.get("stillHeld").asInt()).isEqualTo(2);
        assertThat(stopped.at("/stoppedAt/id").asText()).isEqualTo(unknown);
        assertThat(stopped.at("/stoppedAt/status").asText()).isEqualTo("PARKED");
        assertThat(stopped.at("/stoppedAt/reason").asText()).contains("AllegationEscalated");
        assertThat(streamLength(a)).isZero();

        assertThat(status(admin(HttpMethod.POST, discardPath(a, unknown), Map.of("reason", "a type no service publishes"))))
                .isEqualTo(200);
        JsonNode released = body(admin(HttpMethod.POST, "/admin/dead-letters/" + a + "/retries", null));
        assertThat(released.get("released").asBoolean()).as(released.toString()).isTrue();
        // the acknowledgement and the revision; the record's own opening, published back on the accountability topic
        // while the retry ran, may have been held too and then applied by this retry (or by the listener's release)
        assertThat(released.get("applied").asInt()).isIn(2, 3);

        // the case caught up: opened once, by the acknowledgement; file complete, nothing twice
        awaitRecordOpened(a);
        assertThat(awaitView(a, 0).get("triggeringEventId").asText()).isEqualTo(ackId);
        JsonNode file = awaitFile(a, 4, "recorded");
        assertThat(texts(file, "type")).containsExactlyInAnyOrder("AllegationFiled", "AllegationAcknowledged",
                "CasualtyFiguresRevised", "AccountabilityRecordOpened");
        assertThat(new HashSet<>(texts(file, "eventId"))).hasSize(4);
        assertThat(incidentCases.findById(a).orElseThrow().lastSequence).isEqualTo(2);
        JsonNode again = body(admin(HttpMethod.POST, "/admin/dead-letters/" + a + "/retries", null));
        assertThat(again.get("applied").asInt()).isZero();
        assertThat(again.get("released").asBoolean()).isTrue();
        assertThat(streamLength(a)).isEqualTo(1);

        // released: later records flow normally
        IncidentTopic.publish(IncidentMother.revised(a, 2, Instant.parse("2018-09-01T10:00:00Z")), 3);
        await().atMost(WAIT).until(() -> incidentCases.findById(a).orElseThrow().lastSequence == 3);
        JsonNode after = body(get("/admin/dead-letters/" + a));
        assertThat(after.get("holding").asBoolean()).isFalse();
        assertThat(after.get("discarded").asInt()).isEqualTo(2);
        assertThat(after.get("held").asInt() + after.get("parked").asInt()).isZero();
        assertThat(after.get("applied").asInt()).isIn(2, 3).isEqualTo(after.get("records").size() - 2);
        assertThat(texts(after.get("records"), "status")).startsWith("DISCARDED", "DISCARDED", "APPLIED", "APPLIED");
        assertThat(streamLength(a)).isEqualTo(1);
        assertThat(body(get("/cases/" + a + "/file")).get("count").asInt()).isEqualTo(5);
    }

    @Test
    void a_newer_contract_version_holds_both_topics_of_its_case_and_is_applied_once_the_reader_knows_it()
            throws Exception {
        String c = "DL-NEWER-1";
        String d = "DL-FLOWING-2";
        IncidentTopic.publish(IncidentMother.filed(c), 0);
        IncidentTopic.publish(IncidentMother.acknowledged(c), 1);
        awaitRecordOpened(c);
        awaitFile(c, 3, "recorded");

        ObjectNode newer = (ObjectNode) EXACT.readTree(IncidentTopic.envelope(
                IncidentMother.revised(c, 1, Instant.parse("2018-08-02T10:00:00Z")), UUID.randomUUID().toString(), 2));
        newer.put("contractVersion", 2);
        ((ObjectNode) newer.get("event")).put("addedInVersion2", "something version 1 does not know");
        IncidentTopic.send(c, newer.toString(), Map.of(EventHeaders.CONTRACT_VERSION, "2",
                EventHeaders.EVENT_TYPE, "CasualtyFiguresRevised"));
        IncidentTopic.publish(IncidentMother.revised(c, 2, Instant.parse("2018-09-02T10:00:00Z")), 3);
        // a step recorded here is published on the accountability topic: held behind the incident record too
        assertThat(status(post("/cases/" + c + "/investigations", AccountabilityMother.investigationRequest())))
                .isEqualTo(201);
        IncidentTopic.publish(IncidentMother.filed(d), 0);
        IncidentTopic.publish(IncidentMother.acknowledged(d), 1);

        awaitRecordOpened(d);
        JsonNode held = awaitDeadLetters(c, 1, 2);
        assertThat(held.at("/records/0/reason").asText())
                .contains("contract version 2 is newer than the newest this consumer reads (1)");
        assertThat(held.get("records")).extracting(r -> r.get("topic").asText())
                .containsExactlyInAnyOrder(Topics.INCIDENT_EVENTS, Topics.INCIDENT_EVENTS, Topics.ACCOUNTABILITY_EVENTS);
        assertThat(body(get("/cases/" + c + "/file")).get("count").asInt()).isEqualTo(3);
        assertThat(incidentCases.findById(c).orElseThrow().lastSequence).isEqualTo(1);

        // a rebuild of the Kafka-fed views holds back what the listener holds back
        for (String view : List.of("timeline", "incident-cases")) {
            assertThat(status(admin(HttpMethod.POST, "/admin/projections/" + view + "/rebuild", null))).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> rebuildFinished(view));
        }
        assertThat(body(get("/cases/" + c + "/file")).get("count").asInt()).isEqualTo(3);
        assertThat(incidentCases.findById(c).orElseThrow().lastSequence).isEqualTo(1);

        // retried with the same reader: it stops at the record it cannot read
        JsonNode stopped = body(admin(HttpMethod.POST, "/admin/dead-letters/" + c + "/retries", null));
        assertThat(stopped.get("released").asBoolean()).isFalse();
        assertThat(stopped.get("stillHeld").asInt()).isEqualTo(2);
        assertThat(stopped.at("/stoppedAt/lastRetriedAt").asText()).isNotBlank();

        // the service learns version 2 (an upgrade): the retry applies all three in order and releases the case
        reader.readContractVersionsUpTo(2);
        try {
            JsonNode released = body(admin(HttpMethod.POST, "/admin/dead-letters/" + c + "/retries", null));
            assertThat(released.get("released").asBoolean()).as(released.toString()).isTrue();
            assertThat(released.get("applied").asInt()).isEqualTo(3);
        } finally {
            reader.readContractVersionsUpTo(1);
        }
        assertThat(incidentCases.findById(c).orElseThrow().lastSequence).isEqualTo(3);
        assertThat(incidentCases.findById(c).orElseThrow().casualtyRevisions).isEqualTo(2);
        JsonNode file = body(get("/cases/" + c + "/file?order=recorded")).get("entries");
        assertThat(texts(file, "type")).containsExactlyInAnyOrder("AllegationFiled", "AllegationAcknowledged",
                "AccountabilityRecordOpened", "CasualtyFiguresRevised", "CasualtyFiguresRevised", "InvestigationOpened");
        assertThat(new HashSet<>(texts(file, "eventId"))).hasSize(6);
        assertThat(streamLength(c)).as("opened once, investigation once").isEqualTo(2);
        assertThat(body(admin(HttpMethod.POST, "/admin/dead-letters/" + c + "/retries", null)).get("applied").asInt())
                .isZero();
        JsonNode listed = body(get("/admin/dead-letters?holding=false&size=200"));
        assertThat(listed.get("items")).anySatisfy(x -> {
            assertThat(x.get("caseId").asText()).isEqualTo(c);
            assertThat(x.get("applied").asInt()).isEqualTo(3);
            assertThat(x.get("holding").asBoolean()).isFalse();
        });
    }

    @Test
    void listing_refuses_bad_paging_and_unknown_cases_as_problems() {
        ResponseEntity<String> bad = get("/admin/dead-letters?page=-1&size=0");
        assertThat(status(bad)).isEqualTo(400);
        assertThat(fields(bad)).containsExactlyInAnyOrder("page", "size");
        assertThat(fields(get("/admin/dead-letters?holding=maybe"))).containsExactly("holding");
        ResponseEntity<String> none = get("/admin/dead-letters/NO-SUCH-CASE");
        assertThat(status(none)).isEqualTo(404);
        assertThat(none.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(status(admin(HttpMethod.POST, "/admin/dead-letters/NO-SUCH-CASE/retries", null))).isEqualTo(404);
        JsonNode api = body(get("/v3/api-docs"));
        assertThat(api.get("paths").has("/admin/dead-letters/{caseId}/records/{recordId}/discards")).isTrue();
        assertThat(api.get("paths").has("/admin/dead-letters/{caseId}/retries")).isTrue();
    }

    private JsonNode awaitDeadLetters(String caseId, int parkedCount, int heldCount) {
        await().atMost(WAIT).until(() -> {
            ResponseEntity<String> r = get("/admin/dead-letters/" + caseId);
            return status(r) == 200 && body(r).get("parked").asInt() == parkedCount
                    && body(r).get("held").asInt() == heldCount;
        });
        return body(get("/admin/dead-letters/" + caseId));
    }

    private boolean rebuildFinished(String view) {
        for (JsonNode p : body(get("/admin/projections"))) {
            if (p.get("name").asText().equals(view)) {
                return p.path("rebuild").hasNonNull("finishedAt") && p.at("/rebuild/phase").asText().equals("DONE");
            }
        }
        return false;
    }

    private static String discardPath(String caseId, String recordId) {
        return "/admin/dead-letters/" + caseId + "/records/" + recordId + "/discards";
    }

    private ResponseEntity<String> admin(HttpMethod method, String path, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, TestTokens.bearer(ADMIN, Roles.ADMIN));
        return http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
    }

    /** The record as the listener would receive it again. */
    private static ConsumerRecord<String, String> consumed(ParkedRecordRepository.DeadLetter d) {
        RecordHeaders headers = new RecordHeaders();
        d.headers().forEach((k, v) -> headers.add(k, v == null ? null : v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(d.topic(), d.partition(), d.offset(), ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, d.key(), d.value(),
                headers, Optional.empty());
    }
}
