package org.civharm.contract.accountability;

/** Whether an investigation found a violation of international humanitarian law. */
public enum IhlViolationFinding {
    YES, NO, UNDETERMINED
}
