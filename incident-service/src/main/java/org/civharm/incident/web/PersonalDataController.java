package org.civharm.incident.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.civharm.contract.incident.AgeGroup;
import org.civharm.contract.incident.Sex;
import org.civharm.contract.personal.PersonalDetails;
import org.civharm.incident.api.RecordVictimCommand;
import org.civharm.incident.api.RecordWitnessStatementCommand;
import org.civharm.incident.privacy.PersonalDataVault;
import org.civharm.incident.web.Requests.ErasureRequest;
import org.civharm.incident.web.Requests.RecordVictimRequest;
import org.civharm.incident.web.Requests.RecordWitnessStatementRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Victims' and witnesses' identities: sealed with a key per data subject before any command carries them, and
 * erasable by destroying that key (crypto-shredding).
 */
@RestController
@Tag(name = "Personal data", description = "Named victims and witnesses, sealed per data subject; erasure")
public class PersonalDataController {

    private final CommandGateway commands;
    private final PersonalDataVault vault;
    private final Clock clock;

    public PersonalDataController(CommandGateway commands, PersonalDataVault vault, Clock clock) {
        this.commands = commands;
        this.vault = vault;
        this.clock = clock;
    }

    @PostMapping(path = "/allegations/{caseId}/victims", consumes = "application/json", produces = "application/json")
    @Operation(summary = "Record a named victim (the identity is sealed with the victim's own key)")
    public ResponseEntity<Map<String, Object>> recordVictim(@PathVariable String caseId,
                                                            @Valid @RequestBody RecordVictimRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        String subjectId = vault.newSubject();
        String victimId = withSubject(subjectId, () -> commands.sendAndWait(new RecordVictimCommand(caseId, body.harm(),
                body.ageGroup() == null ? AgeGroup.UNKNOWN : body.ageGroup(), body.sex() == null ? Sex.UNKNOWN : body.sex(),
                vault.seal(subjectId, new PersonalDetails(body.name(), body.contact(), body.details())), who,
                body.occurredAt() != null ? body.occurredAt() : clock.instant())));
        return ResponseEntity.created(URI.create("/allegations/" + caseId))
                .body(Map.of("caseId", caseId, "victimId", victimId, "subjectId", subjectId));
    }

    @PostMapping(path = "/allegations/{caseId}/witness-statements", consumes = "application/json", produces = "application/json")
    @Operation(summary = "Record a witness statement (name, contact and personal part sealed; summary shareable)")
    public ResponseEntity<Map<String, Object>> recordStatement(@PathVariable String caseId,
                                                               @Valid @RequestBody RecordWitnessStatementRequest body) {
        String who = Actors.current();
        CaseIds.check(caseId);
        String subjectId = vault.newSubject();
        String statementId = withSubject(subjectId, () -> commands.sendAndWait(new RecordWitnessStatementCommand(caseId,
                body.summary(), body.takenOn(), body.takenBy(),
                vault.seal(subjectId, new PersonalDetails(body.name(), body.contact(), body.personalPart())), who,
                body.occurredAt() != null ? body.occurredAt() : clock.instant())));
        return ResponseEntity.created(URI.create("/allegations/" + caseId))
                .body(Map.of("caseId", caseId, "statementId", statementId, "subjectId", subjectId));
    }

    @DeleteMapping("/data-subjects/{subjectId}")
    @Operation(summary = "Erase a data subject: destroy its key, so every copy of its personal data becomes unreadable; the case history and hash chain stay valid")
    public ResponseEntity<Void> erase(@PathVariable String subjectId,
                                      @Valid @RequestBody(required = false) ErasureRequest body) {
        String who = Actors.current();
        if (!subjectId.matches("DS-[0-9a-f-]{36}")) {
            throw InvalidRequestException.of("subjectId", "must be a data subject id such as DS-3f2a…");
        }
        if (!vault.erase(subjectId, who, body == null ? "erasure requested" : body.reason())) {
            throw new CaseNotFoundException("data subject " + subjectId);
        }
        return ResponseEntity.noContent().build();
    }

    /** A subject whose command was refused never had personal data stored: its key goes too. */
    private <T> T withSubject(String subjectId, Supplier<T> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            vault.erase(subjectId, "civharm", "command refused; nothing was stored");
            throw e;
        }
    }
}
