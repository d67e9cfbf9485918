package org.civharm.contract.incident;

/** Who brought the allegation. */
public enum SourceType {
    NGO, UN, MEDIA, SURVIVOR_OR_FAMILY, BELLIGERENT_SELF_REPORT, OTHER
}
