package org.civharm.contract.upcasting;

/**
 * A record written with a contract version this consumer cannot read: newer than it knows (reading it tolerantly
 * could silently drop what the newer version means), or not a version at all. The record must be set aside (parked),
 * never read half-way.
 */
public class UnsupportedContractVersionException extends RuntimeException {

    private final String version;

    public UnsupportedContractVersionException(String version, String message) {
        super(message);
        this.version = version;
    }

    /** The version as the record stated it (envelope field or header), for operators. */
    public String version() {
        return version;
    }
}
