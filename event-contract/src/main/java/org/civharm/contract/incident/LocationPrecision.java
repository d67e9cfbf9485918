package org.civharm.contract.incident;

/** Precision of a map point, as in Airwars' geolocation grades. */
public enum LocationPrecision {
    EXACT, WITHIN_100M, NEIGHBOURHOOD, TOWN, CITY, PROVINCE
}
