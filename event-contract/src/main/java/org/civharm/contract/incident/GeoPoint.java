package org.civharm.contract.incident;

/**
 * A map point with its precision.
 *
 * @param latitude  WGS 84 degrees
 * @param longitude WGS 84 degrees
 * @param precision how well the point is known
 * @param mgrs      MGRS grid reference if one was given, e.g. "37SEA1234567890"; may be null
 */
public record GeoPoint(double latitude, double longitude, LocationPrecision precision, String mgrs) {
}
