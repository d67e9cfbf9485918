package org.civharm.notification.channels;

/** A receiver refused a delivery (e.g. a webhook answered HTTP 500). */
public class DeliveryFailedException extends Exception {

    public DeliveryFailedException(String message) {
        super(message);
    }
}
