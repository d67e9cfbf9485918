package org.civharm.notification.domain;

/** One refused field of a requested change: its path (e.g. {@code assessment-due.days}) and what is wrong. */
public record Problem(String field, String message) {
}
