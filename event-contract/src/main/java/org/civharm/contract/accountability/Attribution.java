package org.civharm.contract.accountability;

/**
 * One member state's part in the harm.
 *
 * @param memberState e.g. "United States", "United Kingdom", "France"
 * @param role        what it did
 * @param certainty   known or suspected
 */
public record Attribution(String memberState, ResponsibilityRole role, Certainty certainty) {
}
