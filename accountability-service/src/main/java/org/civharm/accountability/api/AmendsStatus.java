package org.civharm.accountability.api;

/** Where one amends offer stands. Only an {@link #OFFERED} one can still be paid or declined. */
public enum AmendsStatus {
    OFFERED, PAID, DECLINED
}
