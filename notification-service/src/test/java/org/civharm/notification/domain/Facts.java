package org.civharm.notification.domain;

import org.civharm.notification.api.CaseFact;
import org.civharm.notification.api.FactKind;

import java.time.Instant;
import java.time.LocalDate;

/** Facts for rule tests: one case, incident and accountability streams with their own sequences. */
final class Facts {

    static final String CASE = "RAQQA-2017-0628";
    static final Instant T0 = Instant.parse("2017-06-30T00:00:00Z");

    private long incidentSeq;
    private long accountabilitySeq;

    CaseFact incident(FactKind kind, String eventId, Instant at) {
        return new CaseFact(eventId, CASE, "incident-service", incidentSeq++, kind, at, null, null);
    }

    CaseFact accountability(FactKind kind, String eventId, Instant at) {
        return new CaseFact(eventId, CASE, "accountability-service", accountabilitySeq++, kind, at, null, null);
    }

    CaseFact letter(FactKind kind, String eventId, String letterId, LocalDate dueOn, Instant at) {
        return new CaseFact(eventId, CASE, "accountability-service", accountabilitySeq++, kind, at, letterId, dueOn);
    }

    CaseFact amends(FactKind kind, String eventId, String amendsId, Instant at) {
        return new CaseFact(eventId, CASE, "accountability-service", accountabilitySeq++, kind, at, amendsId, null);
    }

    static Instant day(int days) {
        return T0.plus(java.time.Duration.ofDays(days));
    }
}
