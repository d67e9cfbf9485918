package org.civharm.contract.accountability;

/** What an investigation covers. */
public enum InvestigationScope {
    FIELD_VISIT, WITNESS_INTERVIEWS, STRIKE_LOG_REVIEW, IMAGERY_ANALYSIS, DOCUMENT_REVIEW, FORENSIC_ANALYSIS
}
