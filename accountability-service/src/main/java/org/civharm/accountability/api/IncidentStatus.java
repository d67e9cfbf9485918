package org.civharm.accountability.api;

/**
 * Where a case stands in intake and assessment, as this service last saw it on incident-service's topic. A local
 * copy, never a dependency on incident-service's code: it is derived from the published events only.
 */
public enum IncidentStatus {
    /** No event of the case has been seen (yet) on the incident topic. */
    UNKNOWN,
    /** Filed, awaiting the belligerent's assessment. */
    UNDER_ASSESSMENT,
    /** Assessed credible: acknowledged. */
    CREDIBLE,
    /** Assessed not credible: dismissed. */
    NON_CREDIBLE,
    /** Found to describe the same incident as another case. */
    DUPLICATE,
    /** A dismissed or duplicate case reopened on new evidence, awaiting a new assessment. */
    REOPENED
}
