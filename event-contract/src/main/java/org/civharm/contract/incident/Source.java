package org.civharm.contract.incident;

/**
 * The organisation or person that reported the harm.
 *
 * @param name           e.g. "Airwars", "Human Rights Watch"
 * @param type           kind of source
 * @param channel        how it reached the tracker, e.g. "email", "monthly report", "web form"; may be null
 * @param ownReference   the source's own id for the incident, e.g. "CS1234"; may be null
 */
public record Source(String name, SourceType type, String channel, String ownReference) {
}
