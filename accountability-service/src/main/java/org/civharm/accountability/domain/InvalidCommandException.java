package org.civharm.accountability.domain;

/**
 * A command whose content is wrong, either on its own or measured against what the record holds (e.g. a payment in
 * another currency than the offer, an answer dated before the letter). Served as 400 naming the field, so the
 * caller knows what to correct. Nothing is stored when it is thrown.
 */
public class InvalidCommandException extends RuntimeException {

    private final String field;

    public InvalidCommandException(String field, String message) {
        super(field + " " + message);
        this.field = field;
    }

    /** The request field (JSON path) at fault. */
    public String field() {
        return field;
    }

    /** The message without the field name. */
    public String problem() {
        return getMessage().substring(field.length() + 1);
    }
}
