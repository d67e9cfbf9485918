package org.civharm.contract.accountability;

/** Kind of amends. */
public enum AmendsType {
    COMPENSATION, EX_GRATIA, RESTITUTION, REHABILITATION, MEDICAL_CARE, REPAIR
}
