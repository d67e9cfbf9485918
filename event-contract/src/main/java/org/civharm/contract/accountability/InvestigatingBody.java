package org.civharm.contract.accountability;

/** Who conducts an investigation. */
public enum InvestigatingBody {
    MILITARY_COMMAND, INDEPENDENT_BODY, UN_MECHANISM, NATIONAL_AUTHORITY, NGO
}
