package org.civharm.notification.config;

/**
 * The roles civharm grants, carried in the token's roles claim (without the {@code ROLE_} prefix).
 * <ul>
 *   <li>{@link #CASEWORKER}: files and updates intake and assessment;</li>
 *   <li>{@link #INVESTIGATOR}: investigations and findings;</li>
 *   <li>{@link #ACCOUNTABILITY_OFFICER}: attribution, explanation, apology, amends, correspondence;</li>
 *   <li>{@link #AUDITOR}: reads everything including history and integrity, writes nothing;</li>
 *   <li>{@link #ADMIN}: policies, projection rebuilds, metrics;</li>
 *   <li>{@link #PUBLIC}: aggregate reports only.</li>
 * </ul>
 */
public final class Roles {

    public static final String CASEWORKER = "CASEWORKER";
    public static final String INVESTIGATOR = "INVESTIGATOR";
    public static final String ACCOUNTABILITY_OFFICER = "ACCOUNTABILITY_OFFICER";
    public static final String AUDITOR = "AUDITOR";
    public static final String ADMIN = "ADMIN";
    public static final String PUBLIC = "PUBLIC";

    private Roles() {
    }
}
