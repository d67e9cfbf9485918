package org.civharm.contract.incident;

import org.civharm.contract.personal.SealedPersonalData;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A witness statement was taken. The witness's identity and the statement's personal part are sealed personal data;
 * the summary is written to be shareable.
 *
 * @param statementId  id within the case, e.g. "W-1"
 * @param summary      what the witness saw, without personal details
 * @param takenOn      when the statement was taken
 * @param takenBy      who took it (organisation or researcher)
 * @param witness      PERSONAL DATA, sealed: the witness's name, contact, and the statement's personal part
 */
public record WitnessStatementRecordedEvent(
        String caseId,
        String statementId,
        String summary,
        LocalDate takenOn,
        String takenBy,
        SealedPersonalData witness,
        String actor,
        Instant occurredAt,
        Instant recordedAt) implements IncidentEvent {
}
