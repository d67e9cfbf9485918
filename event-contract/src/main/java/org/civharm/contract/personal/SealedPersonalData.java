package org.civharm.contract.personal;

/**
 * PERSONAL DATA, sealed: a data subject's identity (a victim's or witness's name, contact details, the personal part
 * of a statement) encrypted with AES-256-GCM under a key of that subject alone. Only this ciphertext is ever stored in
 * an event or published; the key lives in the producing service's key store. Destroying the key (erasure) makes every
 * copy — in the event store, in views, on Kafka, in exports — unreadable for good, while the event, its hash and the
 * rest of the case history stay intact (hashes cover the ciphertext, never the plaintext).
 *
 * @param subjectId  the data subject, e.g. "DS-3f2a…"; the key's id and the cipher's associated data
 * @param algorithm  always "AES-256-GCM"
 * @param nonce      base64 of the 96-bit nonce
 * @param ciphertext base64 of the ciphertext with its GCM tag; the plaintext is the JSON of {@link PersonalDetails}
 */
public record SealedPersonalData(String subjectId, String algorithm, String nonce, String ciphertext) {

    public static final String AES_256_GCM = "AES-256-GCM";

    /** What readers without clearance, or after erasure, see instead of personal data. */
    public static final String REDACTED = "[redacted]";
    public static final String ERASED = "[erased]";
}
