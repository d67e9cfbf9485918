package org.civharm.contract.incident;

import java.time.LocalDate;

/**
 * When the incident happened: one day ({@code from == to}) or a range, with its precision.
 *
 * @param from      first possible day
 * @param to        last possible day (equal to {@code from} for a single day)
 * @param precision how well the date is known
 * @param timeOfDay free description such as "night", "around 14:00"; may be null
 */
public record IncidentDate(LocalDate from, LocalDate to, DatePrecision precision, String timeOfDay) {
}
