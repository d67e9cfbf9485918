package org.civharm.contract.incident;

/**
 * A party to the conflict named by the allegation.
 *
 * @param name        e.g. "US-led Coalition", "Russian Military"
 * @param involvement known or suspected
 */
public record Belligerent(String name, Involvement involvement) {
}
