package org.civharm.contract.incident;

/**
 * Civilian casualties as reported.
 *
 * @param killed  civilians killed
 * @param injured civilians injured
 */
public record CasualtyFigures(HarmCount killed, HarmCount injured) {
}
