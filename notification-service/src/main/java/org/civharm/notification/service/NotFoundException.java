package org.civharm.notification.service;

/** No such alert, obligation or delivery (served as 404). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, String id) {
        super("no " + what + " " + id + " is on record");
    }
}
