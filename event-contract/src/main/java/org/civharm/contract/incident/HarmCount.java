package org.civharm.contract.incident;

/**
 * Civilians harmed in one way (killed or injured), each as a min–max range. The splits may be unknown (null).
 *
 * @param total    all civilians
 * @param children of which children; may be null when unknown
 * @param women    of which adult women; may be null when unknown
 * @param men      of which adult men; may be null when unknown
 */
public record HarmCount(Range total, Range children, Range women, Range men) {
}
