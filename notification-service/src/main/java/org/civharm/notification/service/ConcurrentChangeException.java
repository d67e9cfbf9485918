package org.civharm.notification.service;

/** The document changed between read and write more often than retries allow (served as 409). */
public class ConcurrentChangeException extends RuntimeException {

    public ConcurrentChangeException(String message) {
        super(message);
    }
}
