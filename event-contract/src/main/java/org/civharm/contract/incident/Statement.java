package org.civharm.contract.incident;

import java.time.LocalDate;

/**
 * A dated public statement, e.g. the Coalition's monthly civilian-casualty report.
 *
 * @param title       e.g. "CJTF-OIR Monthly Civilian Casualty Report, 26 July 2018"
 * @param url         where it was published; may be null
 * @param publishedOn the date of the statement
 */
public record Statement(String title, String url, LocalDate publishedOn) {
}
