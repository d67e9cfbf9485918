package org.civharm.incident.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.civharm.incident.api.AcknowledgeAllegationCommand;
import org.civharm.contract.integrity.CaseExport;
import org.civharm.incident.audit.EventStreamVerifier;
import org.civharm.incident.audit.ExportLog;
import org.civharm.incident.audit.IntegrityReport;
import org.civharm.incident.api.AllegationStatus;
import org.civharm.incident.api.AttachEvidenceCommand;
import org.civharm.incident.api.DismissAllegationCommand;
import org.civharm.incident.api.FileAllegationCommand;
import org.civharm.incident.api.MarkDuplicateCommand;
import org.civharm.incident.api.ReopenAllegationCommand;
import org.civharm.incident.api.ReviseCasualtyFiguresCommand;
import org.civharm.incident.views.AllegationHistory;
import org.civharm.incident.views.CaseEventStream;
import org.civharm.incident.views.AllegationSearch;
import org.civharm.incident.views.AllegationSummary;
import org.civharm.incident.views.AllegationSummaryRepository;
import org.civharm.incident.web.Requests.AssessmentOutcome;
import org.civharm.incident.web.Requests.AssessmentRequest;
import org.civharm.incident.web.Requests.AttachEvidenceRequest;
import org.civharm.incident.web.Requests.DuplicateOfRequest;
import org.civharm.incident.web.Requests.FileAllegationRequest;
import org.civharm.incident.web.Requests.ReopenRequest;
import org.civharm.incident.web.Requests.ReviseCasualtiesRequest;
import org.springframework.http.MediaType;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Intake and assessment over HTTP. Commands are applied to the case's event stream before the response; the views
 * read by the GET endpoints follow within moments (eventually consistent), while {@code /events} reads the stream.
 */
@RestController
@RequestMapping(path = "/allegations", produces = "application/json")
@Tag(name = "Allegations", description = "File allegations, attach evidence, record the belligerent's assessment")
public class AllegationController {

    private final CommandGateway commands;
    private final AllegationSummaryRepository summaries;
    private final CaseEventStream eventStream;
    private final Clock clock;
    private final EventStreamVerifier verifier;
    private final AllegationHistory history;
    private final ExportLog exportLog;
    private final PersonalDataReveal reveal;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public AllegationController(CommandGateway commands, AllegationSummaryRepository summaries, CaseEventStream eventStream,
                                Clock clock, EventStreamVerifier verifier, AllegationHistory history, ExportLog exportLog,
                                PersonalDataReveal reveal, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.mapper = mapper;
        this.reveal = reveal;
        this.exportLog = exportLog;
        this.verifier = verifier;
        this.history = history;
        this.commands = commands;
        this.summaries = summaries;
        this.eventStream = eventStream;
        this.clock = clock;
    }

    @PostMapping(consumes = "application/json")
    @Operation(summary = "File a new allegation", description = "201 with the case's Location; 409 if the given caseId exists")
    public ResponseEntity<Map<String, Object>> file(@Valid @RequestBody FileAllegationRequest body) {
        String who = Actors.current();
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        String caseId = body.caseId() != null ? body.caseId() : "CH-" + UUID.randomUUID();
        Instant occurredAt = body.occurredAt() != null ? body.occurredAt() : startOfDay(body.filedOn());
        commands.sendAndWait(new FileAllegationCommand(caseId, body.source().toSource(), body.reportTitle(),
                body.reportUrl(), body.filedOn(), body.incidentDate().toIncidentDate(), body.place().toPlace(),
                body.operation(), body.casualties().toFigures(), body.toBelligerents(), body.weapon(),
                body.claimedTarget(), body.description(), body.externalReferences(), who, occurredAt));
        return ResponseEntity.created(URI.create("/allegations/" + caseId))
                .body(Map.of("caseId", caseId, "status", AllegationStatus.UNDER_ASSESSMENT));
    }

    @GetMapping("/{caseId}")
    @Operation(summary = "The case summary: status, current figures, belligerents' positions, latest assessment, evidence",
            description = "With asOf (an ISO-8601 instant), the case as it stood on record then, rebuilt from its event stream; "
                    + "with timeline=OCCURRED, as it stood then in the world (events by their occurredAt)")
    public AllegationSummary get(@PathVariable String caseId,
                                 @Parameter(description = "e.g. 2018-01-01T00:00:00Z") @RequestParam(required = false) Instant asOf,
                                 @RequestParam(defaultValue = "RECORDED") AllegationHistory.Timeline timeline) {
        CaseIds.check(caseId);
        if (asOf != null) {
            return reveal.forReader(history.asOf(caseId, asOf, timeline)
                    .orElseThrow(() -> new CaseNotFoundException(caseId + " as of " + asOf)));
        }
        return reveal.forReader(summaries.findById(caseId).orElseThrow(() -> new CaseNotFoundException(caseId)));
    }

    @GetMapping("/{caseId}/replay")
    @Operation(summary = "The history step by step: after each event, the event (who, when, hash) and the resulting state")
    public List<AllegationHistory.ReplayStep> replay(@PathVariable String caseId) {
        List<AllegationHistory.ReplayStep> steps = history.replay(CaseIds.check(caseId));
        if (steps.isEmpty()) {
            throw new CaseNotFoundException(caseId);
        }
        return steps;
    }

    @GetMapping
    @Operation(summary = "Search cases", description = "Text filters are case-insensitive 'contains' matches on literal text")
    public AllegationSummaryRepository.SearchResult search(
            @RequestParam(required = false) AllegationStatus status,
            @RequestParam(required = false) String source,
            @RequestParam(required = false) String belligerent,
            @RequestParam(required = false) String place,
            @RequestParam(required = false) String operation,
            @RequestParam(required = false) LocalDate incidentFrom,
            @RequestParam(required = false) LocalDate incidentTo,
            @RequestParam(required = false) String q,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size,
            @RequestParam(defaultValue = "FILED_ON") AllegationSearch.SortField sort,
            @RequestParam(defaultValue = "desc") String direction) {
        Problems problems = new Problems();
        for (var text : List.of(Map.entry("source", nullToEmpty(source)), Map.entry("belligerent", nullToEmpty(belligerent)),
                Map.entry("place", nullToEmpty(place)), Map.entry("operation", nullToEmpty(operation)),
                Map.entry("q", nullToEmpty(q)))) {
            if (text.getValue().length() > 200) {
                problems.add(text.getKey(), "must be at most 200 characters");
            } else if (text.getValue().chars().anyMatch(Character::isISOControl)) {
                // control characters (NUL above all) cannot be part of a stored regex pattern; they are never text
                problems.add(text.getKey(), "must not contain control characters");
            }
        }
        if (page < 0 || page > 100_000) {
            problems.add("page", "must be between 0 and 100000");
        }
        if (size < 1 || size > 200) {
            problems.add("size", "must be between 1 and 200");
        }
        if (!direction.equalsIgnoreCase("asc") && !direction.equalsIgnoreCase("desc")) {
            problems.add("direction", "must be asc or desc");
        }
        if (incidentFrom != null && incidentTo != null && incidentTo.isBefore(incidentFrom)) {
            problems.add("incidentTo", "must not be before incidentFrom");
        }
        problems.throwIfAny();
        AllegationSummaryRepository.SearchResult result = summaries.search(new AllegationSearch(status,
                blankToNull(source), blankToNull(belligerent), blankToNull(place), blankToNull(operation), incidentFrom,
                incidentTo, blankToNull(q), page, size, sort, direction.equalsIgnoreCase("asc")));
        result.items().forEach(reveal::forReader);
        return result;
    }

    @PostMapping(path = "/{caseId}/evidence", consumes = "application/json")
    @Operation(summary = "Attach an evidence item (URL or uploaded file reference with its SHA-256)")
    public ResponseEntity<Map<String, Object>> attachEvidence(@PathVariable String caseId,
                                                              @Valid @RequestBody AttachEvidenceRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        String evidenceId = commands.sendAndWait(new AttachEvidenceCommand(caseId, body.kind(), body.location(),
                body.sha256(), body.description(), body.capturedAt(), body.capturedBy(), who, occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "evidenceId", evidenceId));
    }

    @PostMapping(path = "/{caseId}/casualty-revisions", consumes = "application/json")
    @Operation(summary = "Revise the reported casualty figures; the previous figures stay in the history")
    public ResponseEntity<Map<String, Object>> reviseCasualties(@PathVariable String caseId,
                                                                @Valid @RequestBody ReviseCasualtiesRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Problems problems = new Problems();
        body.casualties().check("casualties", problems);
        problems.throwIfAny();
        Integer revision = commands.sendAndWait(new ReviseCasualtyFiguresCommand(caseId, body.casualties().toFigures(),
                body.reason(), who, occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "revision", revision));
    }

    @PostMapping(path = "/{caseId}/assessments", consumes = "application/json")
    @Operation(summary = "Record the belligerent's assessment: CREDIBLE (acknowledged) or NON_CREDIBLE (dismissed)")
    public ResponseEntity<Map<String, Object>> assess(@PathVariable String caseId,
                                                      @Valid @RequestBody AssessmentRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        Problems problems = new Problems();
        body.check(problems);
        problems.throwIfAny();
        Instant occurredAt = body.occurredAt() != null ? body.occurredAt()
                : body.statement() != null ? startOfDay(body.statement().publishedOn()) : clock.instant();
        if (body.outcome() == AssessmentOutcome.CREDIBLE) {
            commands.sendAndWait(new AcknowledgeAllegationCommand(caseId, body.assessedBy().strip(),
                    body.concededKilled().toRange(),
                    body.concededInjured() == null ? null : body.concededInjured().toRange(),
                    body.statement().toStatement(), body.comment(), who, occurredAt));
        } else {
            commands.sendAndWait(new DismissAllegationCommand(caseId, body.assessedBy().strip(), body.statedReason(),
                    body.statement() == null ? null : body.statement().toStatement(), who, occurredAt));
        }
        return created(caseId, Map.of("caseId", caseId, "outcome", body.outcome()));
    }

    @PostMapping(path = "/{caseId}/reopenings", consumes = "application/json")
    @Operation(summary = "Reopen a dismissed or duplicate case on evidence attached after that assessment")
    public ResponseEntity<Map<String, Object>> reopen(@PathVariable String caseId,
                                                      @Valid @RequestBody ReopenRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        commands.sendAndWait(new ReopenAllegationCommand(caseId, body.newEvidenceIds(), body.reason(), who,
                occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "status", AllegationStatus.REOPENED));
    }

    @PostMapping(path = "/{caseId}/duplicate-of", consumes = "application/json")
    @Operation(summary = "Record that this case describes the same incident as another case")
    public ResponseEntity<Map<String, Object>> duplicateOf(@PathVariable String caseId,
                                                           @Valid @RequestBody DuplicateOfRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        if (!summaries.exists(body.duplicateOfCaseId())) {
            throw new CaseNotFoundException(body.duplicateOfCaseId(), "duplicateOfCaseId");
        }
        commands.sendAndWait(new MarkDuplicateCommand(caseId, body.duplicateOfCaseId(), body.assessedBy().strip(),
                body.reason(), who, occurred(body.occurredAt())));
        return created(caseId, Map.of("caseId", caseId, "duplicateOfCaseId", body.duplicateOfCaseId()));
    }

    @GetMapping("/{caseId}/possible-duplicates")
    @Operation(summary = "Triage: other cases with overlapping incident dates and the same operation or place name")
    public List<AllegationSummary> possibleDuplicates(@PathVariable String caseId) {
        AllegationSummary of = summaries.findById(CaseIds.check(caseId)).orElseThrow(() -> new CaseNotFoundException(caseId));
        List<AllegationSummary> found = summaries.possibleDuplicates(of, 50);
        found.forEach(reveal::forReader);
        return found;
    }

    @GetMapping("/{caseId}/events")
    @Operation(summary = "The case's own event stream, in order, with metadata (read from the event store)")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json",
            array = @ArraySchema(schema = @Schema(implementation = CaseEventStream.Entry.class))))
    public void events(@PathVariable String caseId, HttpServletResponse response) {
        // from sequence 0: the whole stream as stored (upcast), never the aggregate snapshot; the response is begun
        // only once the case is found and its first events are written, so those failures still get a problem
        boolean found = eventStream.write(CaseIds.check(caseId), length -> {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            if (length >= 0) {
                response.setContentLengthLong(length);
            }
            return response.getOutputStream();
        });
        if (!found) {
            throw new CaseNotFoundException(caseId);
        }
    }

    @GetMapping("/{caseId}/integrity")
    @Operation(summary = "Recompute the case's hash chain from the event store: VERIFIED, or BROKEN naming the first event that does not match")
    public IntegrityReport integrity(@PathVariable String caseId) {
        IntegrityReport report = verifier.verify(CaseIds.check(caseId));
        if (report.status() == IntegrityReport.Status.NOT_FOUND) {
            throw new CaseNotFoundException(caseId);
        }
        return report;
    }

    @GetMapping("/{caseId}/export")
    @Operation(summary = "Export the case's stream with every hash and a top hash, verifiable offline (infra/verify-export.sh); the export is recorded",
            description = "Personal data stays sealed; with includePersonalData=true a caller also cleared for personal data "
                    + "(caseworker or investigator) gets the opened identities in a separate, unhashed section")
    public Map<String, Object> export(@PathVariable String caseId,
                                      @RequestParam(defaultValue = "false") boolean includePersonalData) {
        String who = Actors.current();
        List<CaseExport.ExportedEvent> events = verifier.storedStream(CaseIds.check(caseId));
        if (events.isEmpty()) {
            throw new CaseNotFoundException(caseId);
        }
        if (includePersonalData && !PersonalDataReveal.cleared()) {
            throw new org.springframework.security.access.AccessDeniedException(
                    "personal data is exported only to callers cleared for it (caseworker or investigator)");
        }
        exportLog.record(who, "case export", Map.of("caseId", caseId, "includePersonalData", includePersonalData));
        CaseExport export = CaseExport.of(caseId, clock.instant(), who,
                List.of(CaseExport.stream("incident-service", events)));
        Map<String, Object> body = new java.util.LinkedHashMap<>(mapper.convertValue(export,
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                }));
        if (includePersonalData) {
            AllegationSummary summary = reveal.forReader(history.asOf(caseId, clock.instant()).orElseThrow());
            body.put("personalData", Map.of("victims", summary.victims, "witnessStatements", summary.witnessStatements));
        }
        return body;
    }

    private Instant occurred(Instant given) {
        return given != null ? given : clock.instant();
    }

    private static Instant startOfDay(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static ResponseEntity<Map<String, Object>> created(String caseId, Map<String, Object> body) {
        return ResponseEntity.created(URI.create("/allegations/" + caseId)).body(body);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
