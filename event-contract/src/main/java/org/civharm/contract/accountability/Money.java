package org.civharm.contract.accountability;

import java.math.BigDecimal;

/**
 * An amount of money; never a binary floating point number.
 *
 * @param amount   decimal amount, e.g. 2500.00
 * @param currency ISO 4217 code, e.g. "USD"
 */
public record Money(BigDecimal amount, String currency) {
}
