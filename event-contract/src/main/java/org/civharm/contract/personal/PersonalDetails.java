package org.civharm.contract.personal;

/**
 * PERSONAL DATA: the plaintext inside a {@link SealedPersonalData}. Never stored or published unencrypted.
 *
 * @param name      the person's name as given (any script)
 * @param contact   phone, address or other contact details; may be null
 * @param details   further personal details (relationship to victims, the personal part of a statement); may be null
 */
public record PersonalDetails(String name, String contact, String details) {
}
