package org.civharm.contract.incident;

import java.util.List;

/**
 * Where the incident happened.
 *
 * @param names  the place's names in several scripts (at least one)
 * @param points map points, each with its precision (may be empty)
 */
public record Place(List<PlaceName> names, List<GeoPoint> points) {
}
