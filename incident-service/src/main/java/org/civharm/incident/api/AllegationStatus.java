package org.civharm.incident.api;

/** Where an allegation stands in intake and assessment. */
public enum AllegationStatus {
    /** Filed, not yet assessed by the belligerent. */
    UNDER_ASSESSMENT,
    /** Assessed credible: the belligerent acknowledged civilian harm. */
    CREDIBLE,
    /** Assessed not credible: dismissed, with a stated reason. */
    NON_CREDIBLE,
    /** Found to describe the same incident as another case. */
    DUPLICATE,
    /** A dismissed or duplicate case reopened on new evidence, awaiting a new assessment. */
    REOPENED;

    /** True while an assessment (first or renewed) is awaited. */
    public boolean awaitsAssessment() {
        return this == UNDER_ASSESSMENT || this == REOPENED;
    }
}
