package org.civharm.contract.incident;

/**
 * One name of a place in one language/script.
 *
 * @param language BCP 47 tag, e.g. "en", "ar"
 * @param name     the name as written in that script, e.g. "الرقة"
 */
public record PlaceName(String language, String name) {
}
