package org.civharm.contract.accountability;

/** A member state's role in the harm. */
public enum ResponsibilityRole {
    STRIKE, REFUELLING, SURVEILLANCE_INTELLIGENCE, TARGETING, OTHER
}
