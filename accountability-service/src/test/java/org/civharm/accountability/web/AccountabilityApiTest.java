package org.civharm.accountability.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.civharm.accountability.support.AccountabilityMother;
import org.civharm.accountability.support.IncidentMother;
import org.civharm.accountability.support.IncidentTopic;
import org.civharm.accountability.support.KafkaTestConsumer;
import org.civharm.accountability.support.ServiceIntegrationTest;
import org.civharm.contract.EventEnvelope;
import org.civharm.contract.EventHeaders;
import org.civharm.contract.Topics;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AmendsPaidEvent;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civharm.accountability.support.AccountabilityMother.amendsRequest;
import static org.civharm.accountability.support.AccountabilityMother.attributionRequest;
import static org.civharm.accountability.support.AccountabilityMother.findingsRequest;
import static org.civharm.accountability.support.AccountabilityMother.investigationRequest;
import static org.civharm.accountability.support.AccountabilityMother.letterRequest;
import static org.civharm.accountability.support.AccountabilityMother.paymentRequest;
import static org.civharm.accountability.support.AccountabilityMother.reasonRequest;
import static org.civharm.accountability.support.AccountabilityMother.replyRequest;

/**
 * accountability-service end to end: records opened from incident-service's topic, every step over HTTP with its
 * refusals (409 with the reason, 400 naming the field, nothing stored), the views, the amends ledger, the case file
 * merged from both topics, and the service's own topic read back by a plain consumer.
 */
class AccountabilityApiTest extends ServiceIntegrationTest {

    @Test
    void the_raqqa_story_over_http_with_its_refusals_and_the_case_file_in_order() {
        String caseId = "RAQQA-API-1";
        String base = "/cases/" + caseId;
        IncidentTopic.publish(IncidentMother.filed(caseId), 0);
        IncidentTopic.publish(IncidentMother.acknowledged(caseId), 1);
        awaitRecordOpened(caseId);

        // investigation: one at a time; only an open one is concluded
        ResponseEntity<String> investigation = post(base + "/investigations", investigationRequest());
        assertThat(status(investigation)).isEqualTo(201);
        assertThat(investigation.getHeaders().getLocation()).hasToString(base);
        assertThat(body(investigation).get("investigationId").asText()).isEqualTo("INV-1");
        ResponseEntity<String> second = post(base + "/investigations", investigationRequest());
        assertThat(status(second)).isEqualTo(409);
        assertThat(body(second).get("detail").asText()).contains("investigation INV-1 of case " + caseId + " is still open");
        ResponseEntity<String> neverOpened = post(base + "/findings", findingsRequest("INV-2"));
        assertThat(status(neverOpened)).isEqualTo(409);
        assertThat(body(neverOpened).get("detail").asText()).contains("cannot conclude investigation INV-2")
                .contains("never opened");
        Map<String, Object> unpublishedWithReference = findingsRequest("INV-1");
        unpublishedWithReference.put("published", false);
        assertThat(fields(post(base + "/findings", unpublishedWithReference))).containsExactly("publicationReference");
        assertThat(status(post(base + "/findings", findingsRequest("INV-1")))).isEqualTo(201);

        // attribution: at least one member state, no repeats
        Map<String, Object> noStates = attributionRequest();
        noStates.put("attributions", List.of());
        assertThat(fields(post(base + "/attributions", noStates))).containsExactly("attributions");
        Map<String, Object> repeated = attributionRequest();
        repeated.put("attributions", List.of(Map.of("memberState", "France", "role", "STRIKE", "certainty", "KNOWN"),
                Map.of("memberState", "france ", "role", "STRIKE", "certainty", "SUSPECTED")));
        assertThat(fields(post(base + "/attributions", repeated))).containsExactly("attributions[1]");
        assertThat(status(post(base + "/attributions", attributionRequest()))).isEqualTo(201);

        // amends: offered, then paid once, in the offer's currency, for a positive amount
        ResponseEntity<String> offered = post(base + "/amends", amendsRequest("2500.00", "USD"));
        assertThat(status(offered)).isEqualTo(201);
        assertThat(body(offered).get("amendsId").asText()).isEqualTo("AM-1");
        ResponseEntity<String> neverOffered = post(base + "/amends/AM-2/payments", paymentRequest("2500.00", "USD"));
        assertThat(status(neverOffered)).isEqualTo(409);
        assertThat(body(neverOffered).get("detail").asText()).contains("cannot pay amends AM-2").contains("never offered");
        assertThat(fields(post(base + "/amends/AM-1/payments", paymentRequest("2500.00", "EUR")))).containsExactly("paid.currency");
        assertThat(fields(post(base + "/amends/AM-1/payments", paymentRequest("0", "USD")))).containsExactly("paid.amount");
        assertThat(fields(post(base + "/amends/AM-1/payments", paymentRequest("10.005", "USD")))).containsExactly("paid.amount");
        assertThat(fields(post(base + "/amends/AM-1/payments", paymentRequest("10", "XYZ")))).containsExactly("paid.currency");
        assertThat(fields(post(base + "/amends/AM-X/payments", paymentRequest("10", "USD")))).containsExactly("amendsId");
        Map<String, Object> beforeOffer = paymentRequest("2500.00", "USD");
        beforeOffer.put("paidOn", "2019-01-01");
        assertThat(fields(post(base + "/amends/AM-1/payments", beforeOffer))).containsExactly("paidOn");
        assertThat(status(post(base + "/amends/AM-1/payments", paymentRequest("2500.00", "USD")))).isEqualTo(201);
        ResponseEntity<String> paidTwice = post(base + "/amends/AM-1/payments", paymentRequest("2500.00", "USD"));
        assertThat(status(paidTwice)).isEqualTo(409);
        assertThat(body(paidTwice).get("detail").asText()).contains("already paid");
        assertThat(status(post(base + "/amends/AM-1/declines", AccountabilityMother.declineRequest()))).isEqualTo(409);

        // correspondence: due date on or after sending; answered once
        Map<String, Object> dueBeforeSent = letterRequest();
        dueBeforeSent.put("responseDueOn", "2018-09-01");
        assertThat(fields(post(base + "/correspondence", dueBeforeSent))).containsExactly("responseDueOn");
        ResponseEntity<String> letter = post(base + "/correspondence", letterRequest());
        assertThat(body(letter).get("letterId").asText()).isEqualTo("L-1");
        assertThat(status(post(base + "/correspondence/L-2/replies", replyRequest()))).isEqualTo(409);
        assertThat(status(post(base + "/correspondence/L-1/replies", replyRequest()))).isEqualTo(201);
        assertThat(status(post(base + "/correspondence/L-1/replies", replyRequest()))).isEqualTo(409);

        // nothing refused was stored: 8 steps, 8 events
        JsonNode events = body(get(base + "/events"));
        assertThat(texts(events, "type")).containsExactly("AccountabilityRecordOpened", "InvestigationOpened",
                "InvestigationConcluded", "ResponsibilityAttributed", "AmendsOffered", "AmendsPaid", "LetterSent",
                "LetterAnswered");
        assertThat(events.get(5).at("/event/paid/amount").decimalValue()).isEqualTo(new BigDecimal("2500.00"));
        assertThat(events.get(1).at("/event/actor").asText()).isEqualTo(AccountabilityMother.ACTOR);

        // the record view
        JsonNode record = awaitView(caseId, 7);
        assertThat(record.get("stage").asText()).isEqualTo("AMENDS_PAID");
        assertThat(record.get("memberStates").toString()).isEqualTo("[\"United States\",\"United Kingdom\"]");
        assertThat(record.at("/investigations/0/ihlViolation").asText()).isEqualTo("NO");
        assertThat(record.at("/investigations/0/concludedAt").asText()).isEqualTo("2018-11-15T00:00:00Z");
        assertThat(record.at("/amends/0/status").asText()).isEqualTo("PAID");
        assertThat(record.at("/amends/0/paid/amount").asText()).isEqualTo("2500.00");
        assertThat(record.at("/amends/0/paidTo").asText()).isEqualTo(AccountabilityMother.FAMILY);
        assertThat(record.at("/correspondence/0/answered").asBoolean()).isTrue();
        assertThat(record.get("unansweredLetters").asInt()).isZero();
        JsonNode incident = body(get(base)).get("incident");
        assertThat(incident.get("operation").asText()).isEqualTo("Raqqa 2017");
        assertThat(incident.get("status").asText()).isEqualTo("CREDIBLE");
        assertThat(incident.at("/concededKilled/max").asInt()).isEqualTo(8);

        // the list, by stage, member state, operation and incident date
        assertThat(caseIds("/cases?stage=AMENDS_PAID")).contains(caseId);
        assertThat(caseIds("/cases?stage=INVESTIGATING")).doesNotContain(caseId);
        assertThat(caseIds("/cases?memberState=united kingdom")).contains(caseId);
        assertThat(caseIds("/cases?memberState=France")).doesNotContain(caseId);
        assertThat(caseIds("/cases?operation=raqqa&from=2017-06-28&to=2017-06-28")).contains(caseId);
        assertThat(caseIds("/cases?operation=mosul")).doesNotContain(caseId);
        assertThat(caseIds("/cases?from=2017-06-29")).doesNotContain(caseId);

        // the case file: both services' events, by when they happened...
        JsonNode file = awaitFile(caseId, 10, "occurred");
        assertThat(texts(file, "type")).containsExactly("AllegationFiled", "AllegationAcknowledged",
                "AccountabilityRecordOpened", "InvestigationOpened", "LetterSent", "InvestigationConcluded",
                "LetterAnswered", "AmendsOffered", "ResponsibilityAttributed", "AmendsPaid");
        assertThat(texts(file, "producedBy")).containsExactly("incident-service", "incident-service",
                "accountability-service", "accountability-service", "accountability-service", "accountability-service",
                "accountability-service", "accountability-service", "accountability-service", "accountability-service");
        assertThat(file.get(0).get("actor").asText()).isEqualTo(IncidentMother.INTAKE_ACTOR);
        assertThat(file.get(1).get("why").asText()).isEqualTo("8 civilians acknowledged for one of 17 strikes on 28 June 2017");
        assertThat(file.get(2).get("actor").asText()).isEqualTo("accountability-service");
        assertThat(file.get(5).get("why").asText()).isEqualTo(AccountabilityMother.FINDINGS);
        assertThat(file.get(9).get("occurredAt").asText()).isEqualTo("2019-02-20T00:00:00Z");
        assertThat(file.get(9).at("/event/paid/amount").decimalValue()).isEqualTo(new BigDecimal("2500.00"));
        assertThat(file.get(9).at("/event/type").asText()).isEqualTo("AmendsPaid");
        // ...and by when they were recorded
        JsonNode recorded = body(get(base + "/file?order=recorded")).get("entries");
        assertThat(texts(recorded, "type")).containsExactly("AllegationFiled", "AllegationAcknowledged",
                "AccountabilityRecordOpened", "InvestigationOpened", "InvestigationConcluded", "ResponsibilityAttributed",
                "AmendsOffered", "AmendsPaid", "LetterSent", "LetterAnswered");
        assertThat(fields(get(base + "/file?order=alphabetical"))).containsExactly("order");
    }

    @Test
    void a_record_is_opened_by_hand_only_for_a_contested_dismissal() {
        String contested = "CONTEST-API-1";
        IncidentTopic.publish(IncidentMother.filed(contested), 0);
        IncidentTopic.publish(IncidentMother.dismissed(contested), 1);
        String pending = "CONTEST-API-2";
        IncidentTopic.publish(IncidentMother.filed(pending), 0);
        awaitFile(contested, 2, "occurred");
        awaitFile(pending, 1, "occurred");

        ResponseEntity<String> notDismissed = post("/cases", AccountabilityMother.openRequest(pending));
        assertThat(status(notDismissed)).isEqualTo(409);
        assertThat(body(notDismissed).get("detail").asText()).contains("only for a dismissed case").contains("UNDER_ASSESSMENT");
        ResponseEntity<String> unknown = post("/cases", AccountabilityMother.openRequest("NEVER-FILED-1"));
        assertThat(status(unknown)).isEqualTo(409);
        assertThat(body(unknown).get("detail").asText()).contains("not known (yet)");

        Map<String, Object> noReason = AccountabilityMother.openRequest(contested);
        noReason.remove("reason");
        assertThat(fields(post("/cases", noReason))).containsExactly("reason");
        Map<String, Object> unknownField = AccountabilityMother.openRequest(contested);
        unknownField.put("victimName", "x");
        assertThat(fields(post("/cases", unknownField))).containsExactly("victimName");
        assertThat(post("/cases", AccountabilityMother.openRequest(contested), null).getStatusCode().value()).isEqualTo(401);
        Map<String, Object> future = AccountabilityMother.openRequest(contested);
        future.put("occurredAt", "2999-01-01T00:00:00Z");
        assertThat(fields(post("/cases", future))).containsExactly("occurredAt");
        assertThat(status(get("/cases/" + contested + "/events"))).isEqualTo(404);

        ResponseEntity<String> opened = post("/cases", AccountabilityMother.openRequest(contested));
        assertThat(status(opened)).isEqualTo(201);
        assertThat(body(opened).get("trigger").asText()).isEqualTo("CONTESTED_DISMISSAL");
        ResponseEntity<String> again = post("/cases", AccountabilityMother.openRequest(contested));
        assertThat(status(again)).isEqualTo(409);
        assertThat(fields(again)).containsExactly("caseId");
        JsonNode record = awaitView(contested, 0);
        assertThat(record.get("trigger").asText()).isEqualTo("CONTESTED_DISMISSAL");
        assertThat(record.get("openedBy").asText()).isEqualTo(AccountabilityMother.ACTOR);
        assertThat(streamLength(contested)).isEqualTo(1);

        // closing: a closed record takes a reply or a reopening, nothing else
        Map<String, Object> undatedLetter = letterRequest();
        undatedLetter.remove("occurredAt");
        assertThat(status(post("/cases/" + contested + "/correspondence", undatedLetter))).isEqualTo(201);
        JsonNode letterSent = body(get("/cases/" + contested + "/events")).get(1);
        assertThat(letterSent.at("/event/occurredAt").asText()).as("defaults to the day it was sent")
                .isEqualTo("2018-09-05T00:00:00Z");
        assertThat(fields(post("/cases/" + contested + "/closure", Map.of()))).containsExactly("reason");
        assertThat(status(post("/cases/" + contested + "/closure", reasonRequest("the family withdrew")))).isEqualTo(201);
        ResponseEntity<String> whileClosed = post("/cases/" + contested + "/investigations", investigationRequest());
        assertThat(status(whileClosed)).isEqualTo(409);
        assertThat(body(whileClosed).get("detail").asText()).contains("is closed (the family withdrew); reopen it first");
        assertThat(status(post("/cases/" + contested + "/correspondence/L-1/replies", replyRequest()))).isEqualTo(201);
        assertThat(status(post("/cases/" + contested + "/reopenings", reasonRequest("new witness statements")))).isEqualTo(201);
        assertThat(status(post("/cases/" + contested + "/reopenings", reasonRequest("again")))).isEqualTo(409);
        assertThat(status(post("/cases/" + contested + "/investigations", investigationRequest()))).isEqualTo(201);

        assertThat(status(get("/cases/NO-SUCH-CASE"))).isEqualTo(404);
        assertThat(status(get("/cases/NO-SUCH-CASE/events"))).isEqualTo(404);
        assertThat(status(get("/cases/NO-SUCH-CASE/file"))).isEqualTo(404);
        assertThat(status(post("/cases/NO-SUCH-CASE/investigations", investigationRequest()))).isEqualTo(404);
        assertThat(fields(get("/cases/" + "x"))).containsExactly("caseId");
    }

    @Test
    void the_amends_ledger_sums_exactly_per_currency_operation_and_member_state() {
        // three cases with incident dates in 2016, so the date filter isolates them from the other tests' cases
        String raqqa = "LEDGER-RAQQA-1";
        String mosul = "LEDGER-MOSUL-1";
        String pending = "LEDGER-RAQQA-2";
        open(raqqa, IncidentMother.filed(raqqa, "Raqqa 2017", "Raqqa", "الرقة", LocalDate.parse("2016-01-05")));
        open(mosul, IncidentMother.filed(mosul, "Mosul 2017", "Mosul", "الموصل", LocalDate.parse("2016-02-10")));
        open(pending, IncidentMother.filed(pending, "Raqqa 2017", "Raqqa", "الرقة", LocalDate.parse("2016-03-01")));

        offer(raqqa, "EX_GRATIA", "United States", "2500.00", "USD");             // AM-1, paid
        offer(raqqa, "COMPENSATION", "United States", "1000.50", "USD");          // AM-2, outstanding
        Map<String, Object> inKind = amendsRequest("1", "USD");
        inKind.put("type", "MEDICAL_CARE");
        inKind.remove("offer");
        assertThat(status(post("/cases/" + raqqa + "/amends", inKind))).isEqualTo(201); // AM-3, in kind
        assertThat(status(post("/cases/" + raqqa + "/amends/AM-1/payments", paymentRequest("2500.00", "USD")))).isEqualTo(201);
        offer(mosul, "EX_GRATIA", "United States", "0.10", "USD");                 // AM-1, paid
        offer(mosul, "EX_GRATIA", "United Kingdom", "0.20", "USD");                // AM-2, declined
        offer(mosul, "COMPENSATION", "United Kingdom", "750", "EUR");              // AM-3, outstanding
        assertThat(status(post("/cases/" + mosul + "/amends/AM-1/payments", paymentRequest("0.10", "USD")))).isEqualTo(201);
        assertThat(status(post("/cases/" + mosul + "/amends/AM-2/declines", AccountabilityMother.declineRequest()))).isEqualTo(201);
        offer(pending, "EX_GRATIA", "United States", "0.20", "USD");               // AM-1, outstanding
        awaitView(raqqa, 4);
        awaitView(mosul, 5);
        awaitView(pending, 1);

        JsonNode ledger = body(get("/amends?from=2016-01-01&to=2016-12-31"));
        assertThat(ledger.get("total").asInt()).isEqualTo(7);
        assertThat(texts(ledger.get("rows"), "caseId")).containsExactly(mosul, mosul, mosul, raqqa, raqqa, raqqa, pending);
        JsonNode byCurrency = ledger.at("/totals/byCurrency");
        assertThat(texts(byCurrency, "currency")).containsExactly("EUR", "USD");
        assertSums(byCurrency.get(0), "750", "0", "750", "0");
        assertSums(byCurrency.get(1), "3501.00", "2500.10", "1000.70", "0.20");
        assertThat(byCurrency.get(1).get("offers").asInt()).isEqualTo(5);
        assertThat(byCurrency.get(1).get("payments").asInt()).isEqualTo(2);
        assertThat(ledger.at("/totals/inKind").asInt()).isEqualTo(1);

        JsonNode byOperation = ledger.at("/totals/byOperation");
        assertThat(texts(byOperation, "group")).containsExactly("Mosul 2017", "Mosul 2017", "Raqqa 2017");
        assertSums(byOperation.get(0), "750", "0", "750", "0");                  // Mosul EUR
        assertSums(byOperation.get(1), "0.30", "0.10", "0", "0.20");             // Mosul USD: 0.10 + 0.20 exactly
        assertSums(byOperation.get(2), "3500.70", "2500.00", "1000.70", "0");    // Raqqa USD
        JsonNode byState = ledger.at("/totals/byMemberState");
        assertThat(texts(byState, "group")).containsExactly("United Kingdom", "United Kingdom", "United States");
        assertSums(byState.get(1), "0.20", "0", "0", "0.20");
        assertSums(byState.get(2), "3500.80", "2500.10", "1000.70", "0");

        assertThat(body(get("/amends?from=2016-01-01&to=2016-12-31&status=PAID")).get("total").asInt()).isEqualTo(2);
        assertThat(body(get("/amends?from=2016-01-01&to=2016-12-31&currency=EUR")).get("total").asInt()).isEqualTo(1);
        assertThat(body(get("/amends?operation=mosul&memberState=united kingdom")).get("total").asInt()).isEqualTo(2);
        assertThat(body(get("/amends?caseId=" + raqqa)).get("total").asInt()).isEqualTo(3);
        JsonNode page = body(get("/amends?from=2016-01-01&to=2016-12-31&page=1&size=3"));
        assertThat(page.get("rows")).hasSize(3);
        assertThat(texts(page.get("rows"), "caseId")).containsExactly(raqqa, raqqa, raqqa);
        assertThat(page.at("/totals/byCurrency/1/offered").decimalValue()).isEqualTo(new BigDecimal("3501.00"));
        JsonNode paidRow = page.get("rows").get(0);
        assertThat(paidRow.at("/paid/amount").decimalValue()).isEqualTo(new BigDecimal("2500.00"));
        assertThat(paidRow.get("operation").asText()).isEqualTo("Raqqa 2017");

        // stages of these cases
        assertThat(caseIds("/cases?from=2016-01-01&to=2016-12-31&stage=AMENDS_PAID")).containsExactly(mosul, raqqa);
        assertThat(caseIds("/cases?from=2016-01-01&to=2016-12-31&stage=AMENDS_OFFERED")).containsExactly(pending);
        JsonNode listed = body(get("/cases?from=2016-01-01&to=2016-12-31&size=2"));
        assertThat(listed.get("total").asInt()).isEqualTo(3);
        assertThat(listed.get("items")).hasSize(2);
        assertThat(listed.at("/items/0/incident/operation").asText()).isEqualTo("Mosul 2017");

        assertThat(fields(get("/amends?currency=usd"))).containsExactly("currency");
        assertThat(fields(get("/amends?status=LOST"))).containsExactly("status");
        assertThat(fields(get("/cases?stage=MAYBE"))).containsExactly("stage");
        assertThat(fields(get("/cases?size=0"))).containsExactly("size");
        assertThat(fields(get("/cases?from=2017-01-02&to=2017-01-01"))).containsExactly("to");
        Map<String, Object> compensationWithoutAmount = amendsRequest("1", "USD");
        compensationWithoutAmount.put("type", "COMPENSATION");
        compensationWithoutAmount.remove("offer");
        assertThat(fields(post("/cases/" + pending + "/amends", compensationWithoutAmount))).containsExactly("offer");
        Map<String, Object> floatAmount = amendsRequest("1", "USD");
        floatAmount.put("offer", Map.of("amount", "a lot", "currency", "USD"));
        assertThat(fields(post("/cases/" + pending + "/amends", floatAmount))).containsExactly("offer.amount");
        assertThat(streamLength(pending)).isEqualTo(2);
    }

    @Test
    void the_service_publishes_its_events_keyed_by_case_in_order() throws Exception {
        String caseId = "PUBLISH-1";
        IncidentTopic.publish(IncidentMother.filed(caseId), 0);
        IncidentTopic.publish(IncidentMother.acknowledged(caseId), 1);
        awaitRecordOpened(caseId);
        post("/cases/" + caseId + "/investigations", investigationRequest());
        post("/cases/" + caseId + "/findings", findingsRequest("INV-1"));
        post("/cases/" + caseId + "/amends", amendsRequest("2500.00", "USD"));
        post("/cases/" + caseId + "/amends/AM-1/payments", paymentRequest("2500.00", "USD"));
        JsonNode events = body(get("/cases/" + caseId + "/events"));
        assertThat(events).hasSize(5);

        List<ConsumerRecord<String, String>> records = KafkaTestConsumer.read(Topics.ACCOUNTABILITY_EVENTS,
                r -> caseId.equals(r.key()), 5, Duration.ofSeconds(30));
        assertThat(records).hasSize(5);
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
        ObjectReader reader = EXACT.copy().registerModule(new JavaTimeModule())
                .readerFor(new TypeReference<EventEnvelope<AccountabilityEvent>>() {
                });
        List<EventEnvelope<AccountabilityEvent>> envelopes = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            envelopes.add(reader.readValue(r.value()));
        }
        assertThat(envelopes).extracting(EventEnvelope::sequence).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(envelopes).extracting(EventEnvelope::producedBy).containsOnly("accountability-service");
        assertThat(envelopes).extracting(EventEnvelope::eventType).containsExactlyElementsOf(texts(events, "type"));
        assertThat(((AmendsPaidEvent) envelopes.get(4).event()).paid().amount()).isEqualTo(new BigDecimal("2500.00"));
        for (int i = 0; i < records.size(); i++) {
            String eventId = new String(records.get(i).headers().lastHeader(EventHeaders.EVENT_ID).value(), StandardCharsets.UTF_8);
            String type = new String(records.get(i).headers().lastHeader(EventHeaders.EVENT_TYPE).value(), StandardCharsets.UTF_8);
            assertThat(eventId).isEqualTo(events.get(i).get("eventId").asText()).isEqualTo(envelopes.get(i).eventId());
            assertThat(type).isEqualTo(envelopes.get(i).eventType());
            assertThat(AccountabilityEvent.typeName(envelopes.get(i).event().getClass())).isEqualTo(type);
        }
    }

    private void open(String caseId, AllegationFiledEvent filed) {
        IncidentTopic.publish(filed, 0);
        IncidentTopic.publish(IncidentMother.acknowledged(caseId), 1);
        awaitRecordOpened(caseId);
    }

    private void offer(String caseId, String type, String offeredBy, String amount, String currency) {
        Map<String, Object> request = amendsRequest(amount, currency);
        request.put("type", type);
        request.put("offeredBy", offeredBy);
        assertThat(status(post("/cases/" + caseId + "/amends", request))).isEqualTo(201);
    }

    private static void assertSums(JsonNode sums, String offered, String paid, String outstanding, String declined) {
        assertThat(sums.get("offered").decimalValue()).isEqualByComparingTo(offered);
        assertThat(sums.get("paid").decimalValue()).isEqualByComparingTo(paid);
        assertThat(sums.get("outstanding").decimalValue()).isEqualByComparingTo(outstanding);
        assertThat(sums.get("declined").decimalValue()).isEqualByComparingTo(declined);
        assertThat(sums.get("offered").toString()).doesNotContain("E");
    }

    private List<String> caseIds(String path) {
        ResponseEntity<String> response = get(path);
        assertThat(status(response)).as(path + ": " + response.getBody()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        body(response).get("items").forEach(i -> out.add(i.at("/record/caseId").asText()));
        return out;
    }
}
