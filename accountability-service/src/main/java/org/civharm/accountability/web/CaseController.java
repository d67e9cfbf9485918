package org.civharm.accountability.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.civharm.accountability.api.AnswerLetterCommand;
import org.civharm.accountability.api.AttributeResponsibilityCommand;
import org.civharm.accountability.api.CloseRecordCommand;
import org.civharm.accountability.api.ConcludeInvestigationCommand;
import org.civharm.accountability.api.DeclineAmendsCommand;
import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.IssueApologyCommand;
import org.civharm.accountability.api.OfferAmendsCommand;
import org.civharm.accountability.api.OpenAccountabilityRecordCommand;
import org.civharm.accountability.api.OpenInvestigationCommand;
import org.civharm.accountability.api.PayAmendsCommand;
import org.civharm.accountability.api.ProvideExplanationCommand;
import org.civharm.accountability.api.ReopenRecordCommand;
import org.civharm.accountability.api.SendLetterCommand;
import org.civharm.accountability.api.Stage;
import org.civharm.accountability.views.AccountabilityRecordRepository;
import org.civharm.accountability.views.AccountabilityRecordView;
import org.civharm.accountability.views.IncidentCase;
import org.civharm.accountability.views.IncidentCaseRepository;
import org.civharm.accountability.views.TimelineEntry;
import org.civharm.accountability.history.CaseHistory;
import org.civharm.accountability.history.CaseState;
import org.civharm.accountability.web.Requests.AttributionRequest;
import org.civharm.accountability.web.Requests.ApologyRequest;
import org.civharm.accountability.web.Requests.DeclineRequest;
import org.civharm.accountability.web.Requests.ExplanationRequest;
import org.civharm.accountability.web.Requests.FindingsRequest;
import org.civharm.accountability.web.Requests.LetterRequest;
import org.civharm.accountability.web.Requests.OfferAmendsRequest;
import org.civharm.accountability.web.Requests.OpenInvestigationRequest;
import org.civharm.accountability.web.Requests.OpenRecordRequest;
import org.civharm.accountability.web.Requests.PaymentRequest;
import org.civharm.accountability.web.Requests.ReasonRequest;
import org.civharm.accountability.web.Requests.ReplyRequest;
import org.civharm.contract.accountability.OpeningTrigger;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The accountability record of each case over HTTP. Commands are applied to the record's event stream before the
 * response; the views read by {@code GET /cases} and {@code GET /cases/{id}} follow within moments (eventually
 * consistent), {@code /events} reads the stream itself, and {@code /file} the case file assembled from both
 * services' Kafka topics.
 */
@RestController
@RequestMapping(path = "/cases", produces = "application/json")
@Tag(name = "Accountability", description = "Investigations, attribution, explanation, apology, amends and correspondence")
public class CaseController {


    private final CommandGateway commands;
    private final AccountabilityRecordRepository records;
    private final IncidentCaseRepository incidents;
    private final CaseHistory history;
    private final EventStore eventStore;
    private final Clock clock;

    public CaseController(CommandGateway commands, AccountabilityRecordRepository records,
                          IncidentCaseRepository incidents, CaseHistory history, EventStore eventStore,
                          Clock clock) {
        this.commands = commands;
        this.records = records;
        this.incidents = incidents;
        this.history = history;
        this.eventStore = eventStore;
        this.clock = clock;
    }

    @PostMapping(consumes = "application/json")
    @Operation(summary = "Open a record by hand for a dismissed case whose dismissal is contested",
            description = "Allowed only when the case is NON_CREDIBLE as last published by incident-service (409 "
                    + "otherwise) and has no record yet (409). Acknowledged cases are opened automatically.")
    public ResponseEntity<Map<String, Object>> open(@Parameter(description = "who records this step")
                                                    @Valid @RequestBody OpenRecordRequest body) {
        String who = Actors.current();
        String caseId = body.caseId();
        if (eventStore.lastSequenceNumberFor(caseId).isPresent()) {
            throw new RecordAlreadyOpenException(caseId);
        }
        IncidentStatus seen = incidents.findById(caseId).map(c -> c.status).orElse(IncidentStatus.UNKNOWN);
        commands.sendAndWait(new OpenAccountabilityRecordCommand(caseId, OpeningTrigger.CONTESTED_DISMISSAL, null, seen,
                body.reason().strip(), who, occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "trigger", OpeningTrigger.CONTESTED_DISMISSAL));
    }

    @GetMapping("/{caseId}")
    @Operation(summary = "The accountability record with the case as known from incident-service")
    public CaseResponse get(@PathVariable String caseId) {
        CaseIds.check(caseId);
        AccountabilityRecordView record = records.findById(caseId).orElseThrow(() -> CaseNotFoundException.record(caseId));
        return new CaseResponse(record, incidents.findById(caseId).orElse(null));
    }

    @GetMapping
    @Operation(summary = "List records", description = "stage: derived from the record (see the Stage schema); "
            + "memberState: named in the current attribution (case-insensitive); operation: contains, case-insensitive; "
            + "from/to: the incident date range overlaps [from, to]")
    public Page search(@RequestParam(required = false) Stage stage,
                       @RequestParam(required = false) String memberState,
                       @RequestParam(required = false) String operation,
                       @RequestParam(required = false) LocalDate from,
                       @RequestParam(required = false) LocalDate to,
                       @RequestParam(defaultValue = "0") int page,
                       @RequestParam(defaultValue = "20") int size) {
        Problems problems = new Problems();
        Listing.checkText(problems, "memberState", memberState);
        Listing.checkText(problems, "operation", operation);
        Listing.checkPage(problems, page, size);
        Listing.checkRange(problems, from, to);
        problems.throwIfAny();
        Set<String> caseIds = null;
        if (Listing.blankToNull(operation) != null || from != null || to != null) {
            caseIds = incidents.findIds(Listing.blankToNull(operation), from, to);
        }
        var found = caseIds != null && caseIds.isEmpty()
                ? new AccountabilityRecordRepository.Page<AccountabilityRecordView>(List.of(), page, size, 0)
                : records.search(stage, Listing.blankToNull(memberState), caseIds, page, size);
        Map<String, IncidentCase> known = incidents.findAll(found.items().stream().map(r -> r.caseId).toList());
        List<CaseResponse> items = new ArrayList<>();
        found.items().forEach(r -> items.add(new CaseResponse(r, known.get(r.caseId))));
        return new Page(items, found.page(), found.size(), found.total());
    }

    @PostMapping(path = "/{caseId}/investigations", consumes = "application/json")
    @Operation(summary = "Open an investigation (one open at a time); answers its id, e.g. INV-1")
    public ResponseEntity<Map<String, Object>> openInvestigation(@PathVariable String caseId,
                                                                 @Valid @RequestBody OpenInvestigationRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        String investigationId = commands.sendAndWait(new OpenInvestigationCommand(caseId, body.conductedBy(),
                body.bodyName().strip(), body.scope(), who, occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "investigationId", investigationId));
    }

    @PostMapping(path = "/{caseId}/findings", consumes = "application/json")
    @Operation(summary = "Conclude the open investigation named by investigationId with its findings")
    public ResponseEntity<Map<String, Object>> conclude(@PathVariable String caseId,
                                                        @Valid @RequestBody FindingsRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        commands.sendAndWait(new ConcludeInvestigationCommand(caseId, body.investigationId(), body.ihlViolation(),
                body.summary(), body.published(), blankToNull(body.publicationReference()), who,
                occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "investigationId", body.investigationId()));
    }

    @PostMapping(path = "/{caseId}/attributions", consumes = "application/json")
    @Operation(summary = "Attribute responsibility to member states; supersedes the current attribution")
    public ResponseEntity<Map<String, Object>> attribute(@PathVariable String caseId,
                                                         @Valid @RequestBody AttributionRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        commands.sendAndWait(new AttributeResponsibilityCommand(caseId, body.toAttributions(), body.basis(), who,
                occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId));
    }

    @PostMapping(path = "/{caseId}/explanations", consumes = "application/json")
    @Operation(summary = "Record an explanation given to the family: what was targeted, why, which precautions")
    public ResponseEntity<Map<String, Object>> explain(@PathVariable String caseId,
                                                       @Valid @RequestBody ExplanationRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        commands.sendAndWait(new ProvideExplanationCommand(caseId, body.recipientFamilyReference(),
                body.whatWasTargeted(), body.why(), blankToNull(body.precautionsTaken()), body.visibility(), who,
                occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId));
    }

    @PostMapping(path = "/{caseId}/apologies", consumes = "application/json")
    @Operation(summary = "Record an apology, public or private")
    public ResponseEntity<Map<String, Object>> apologise(@PathVariable String caseId,
                                                         @Valid @RequestBody ApologyRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        commands.sendAndWait(new IssueApologyCommand(caseId, body.issuedBy().strip(),
                blankToNull(body.recipientFamilyReference()), body.text(), body.visibility(), who,
                occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId));
    }

    @PostMapping(path = "/{caseId}/amends", consumes = "application/json")
    @Operation(summary = "Record an amends offer; answers its id, e.g. AM-1",
            description = "COMPENSATION and EX_GRATIA need an offer amount; other kinds may be in kind (no amount)")
    public ResponseEntity<Map<String, Object>> offerAmends(@PathVariable String caseId,
                                                           @Valid @RequestBody OfferAmendsRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        String amendsId = commands.sendAndWait(new OfferAmendsCommand(caseId, body.type(), body.offeredBy().strip(),
                body.offer() == null ? null : body.offer().toMoney(), body.recipientFamilyReference(),
                body.description(), who, occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "amendsId", amendsId));
    }

    @PostMapping(path = "/{caseId}/amends/{amendsId}/payments", consumes = "application/json")
    @Operation(summary = "Record that offered amends were paid (or delivered, for amends in kind)",
            description = "Only an offer neither paid nor declined; in the offer's currency (no amount for amends "
                    + "in kind); the recipient defaults to the offer's")
    public ResponseEntity<Map<String, Object>> pay(@PathVariable String caseId,
                                                   @PathVariable String amendsId,
                                                   @Valid @RequestBody PaymentRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Ids.amends(amendsId);
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        commands.sendAndWait(new PayAmendsCommand(caseId, amendsId, body.paid() == null ? null : body.paid().toMoney(),
                blankToNull(body.recipientFamilyReference()), body.paidOn(), who,
                occurred(body.occurredAt(), body.paidOn())));
        return created(caseId, Map.of("caseId", caseId, "amendsId", amendsId));
    }

    @PostMapping(path = "/{caseId}/amends/{amendsId}/declines", consumes = "application/json")
    @Operation(summary = "Record that offered amends were declined by the family (RECIPIENT) or refused/withdrawn (PROVIDER)")
    public ResponseEntity<Map<String, Object>> decline(@PathVariable String caseId,
                                                       @PathVariable String amendsId,
                                                       @Valid @RequestBody DeclineRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Ids.amends(amendsId);
        commands.sendAndWait(new DeclineAmendsCommand(caseId, amendsId, body.declinedBy(), body.by().strip(),
                body.reason(), who, occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "amendsId", amendsId));
    }

    @PostMapping(path = "/{caseId}/correspondence", consumes = "application/json")
    @Operation(summary = "Record a letter or request for information sent, with its response due date; answers its id, e.g. L-1")
    public ResponseEntity<Map<String, Object>> sendLetter(@PathVariable String caseId,
                                                          @Valid @RequestBody LetterRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        String letterId = commands.sendAndWait(new SendLetterCommand(caseId, body.kind(), body.from().strip(),
                body.to().strip(), body.sentOn(), body.asked(), body.responseDueOn(), who,
                occurred(body.occurredAt(), body.sentOn())));
        return created(caseId, Map.of("caseId", caseId, "letterId", letterId));
    }

    @PostMapping(path = "/{caseId}/correspondence/{letterId}/replies", consumes = "application/json")
    @Operation(summary = "Record the answer to a letter (allowed on a closed record too)")
    public ResponseEntity<Map<String, Object>> reply(@PathVariable String caseId,
                                                     @PathVariable String letterId,
                                                     @Valid @RequestBody ReplyRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Ids.letter(letterId);
        commands.sendAndWait(new AnswerLetterCommand(caseId, letterId, body.answeredOn(), body.summary(), who,
                occurred(body.occurredAt(), body.answeredOn())));
        return created(caseId, Map.of("caseId", caseId, "letterId", letterId));
    }

    @PostMapping(path = "/{caseId}/closure", consumes = "application/json")
    @Operation(summary = "Close the record with a reason",
            description = "Refused while an investigation is open or amends are offered and neither paid nor declined")
    public ResponseEntity<Map<String, Object>> close(@PathVariable String caseId,
                                                     @Valid @RequestBody ReasonRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        commands.sendAndWait(new CloseRecordCommand(caseId, body.reason().strip(), who, occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "closed", true));
    }

    @PostMapping(path = "/{caseId}/reopenings", consumes = "application/json")
    @Operation(summary = "Reopen a closed record with a reason")
    public ResponseEntity<Map<String, Object>> reopen(@PathVariable String caseId,
                                                      @Valid @RequestBody ReasonRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        commands.sendAndWait(new ReopenRecordCommand(caseId, body.reason().strip(), who, occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "closed", false));
    }

    @GetMapping("/{caseId}/events")
    @Operation(summary = "The record's own event stream, in order, with metadata (read from the event store)")
    public List<StoredEvent> events(@PathVariable String caseId) {
        CaseIds.check(caseId);
        // from sequence 0: the whole stream as stored, never the aggregate snapshot
        List<StoredEvent> events = eventStore.readEvents(caseId, 0).asStream().map(StoredEvent::of).toList();
        if (events.isEmpty()) {
            throw CaseNotFoundException.record(caseId);
        }
        return events;
    }

    @GetMapping("/{caseId}/file")
    @Operation(summary = "The whole case across both services, one ordered timeline, and the case it adds up to",
            description = "Built from both Kafka topics. order=occurred (default): by when each step happened, then "
                    + "when it was recorded, then the producer's sequence; order=recorded: by when it was recorded. "
                    + "asOf: the case as it stood on record then — only events recorded at or before it, and the "
                    + "state they fold to (an ISO-8601 instant, or a date meaning the end of that day, UTC); with "
                    + "timeline=OCCURRED, the events that had happened in the world by then (their occurredAt)")
    public CaseFile file(@PathVariable String caseId,
                         @RequestParam(defaultValue = "occurred") String order,
                         @Parameter(description = "e.g. 2018-07-01T00:00:00Z") @RequestParam(required = false) String asOf,
                         @RequestParam(defaultValue = "RECORDED") String timeline) {
        CaseIds.check(caseId);
        if (!order.equals("occurred") && !order.equals("recorded")) {
            throw InvalidRequestException.of("order", "must be occurred or recorded");
        }
        if (!timeline.equals("RECORDED") && !timeline.equals("OCCURRED")) {
            throw InvalidRequestException.of("timeline", "must be RECORDED or OCCURRED");
        }
        Instant at = Formats.asOf(asOf);
        CaseHistory.AsOf file = history.asOf(caseId, at, order.equals("recorded"), timeline.equals("OCCURRED"));
        if (file.entries().isEmpty()) {
            throw at == null ? CaseNotFoundException.file(caseId)
                    : new CaseNotFoundException("no event of case " + caseId + " was on record at " + at);
        }
        return new CaseFile(caseId, order, at, file.entries().size(), file.state(), file.entries());
    }

    /** One stored event as served by {@code /events}. */
    public record StoredEvent(long sequence, String eventId, String type, Instant recordedAt, Object event) {
        static StoredEvent of(DomainEventMessage<?> m) {
            String simple = m.getPayloadType().getSimpleName();
            String type = simple.endsWith("Event") ? simple.substring(0, simple.length() - 5) : simple;
            return new StoredEvent(m.getSequenceNumber(), m.getIdentifier(), type, m.getTimestamp(), m.getPayload());
        }
    }

    /** A record with the case as this service knows it from incident-service's events (null if not known yet). */
    public record CaseResponse(AccountabilityRecordView record, IncidentCase incident) {
    }

    /** One page of {@link CaseResponse}s. */
    public record Page(List<CaseResponse> items, int page, int size, long total) {
    }

    /**
     * The case file.
     *
     * @param asOf  the instant asked for (null: now)
     * @param state the whole case as the entries fold to (incident copy and accountability record)
     */
    public record CaseFile(String caseId, String order, Instant asOf, int count, CaseState state,
                           List<TimelineEntry> entries) {
    }

    private Instant occurred(Instant given) {
        return given != null ? given : clock.instant();
    }

    /** For a step dated by its own field (paid on, sent on, answered on): the start of that day (UTC) by default. */
    private static Instant occurred(Instant given, LocalDate day) {
        return given != null ? given : day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static ResponseEntity<Map<String, Object>> created(String caseId, Map<String, Object> body) {
        return ResponseEntity.created(URI.create("/cases/" + caseId)).body(new LinkedHashMap<>(body));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
