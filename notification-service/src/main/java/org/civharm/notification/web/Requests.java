package org.civharm.notification.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of the REST API (strict JSON: unknown fields are refused, naming them). */
public final class Requests {

    private Requests() {
    }

    /**
     * A caseworker acknowledges an alert.
     *
     * @param comment what they did or will do, e.g. "reminder sent to the CIVCAS cell on 3 March"
     */
    public record AcknowledgementRequest(@NotBlank @Size(max = 2000) String comment) {
    }

    /**
     * An operator discards an unreadable record.
     *
     * @param reason why it will not be applied, e.g. "test message published by mistake; no event behind it"
     */
    public record DiscardRequest(@NotBlank @Size(max = 2000) String reason) {
    }
}
