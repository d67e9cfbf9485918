package org.civharm.incident.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.civharm.contract.personal.PersonalDetails;
import org.civharm.contract.personal.SealedPersonalData;
import org.civharm.incident.config.CivharmMongoProperties;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * Crypto-shredding: every data subject has an AES-256 key of its own in the {@code data_subject_keys} collection;
 * personal details are sealed with it (AES-GCM, the subject id as associated data) before they enter any event.
 * Erasing a subject destroys the key: every sealed copy, wherever it went, can no longer be opened, while the events
 * and their hashes (over the ciphertext) stay intact. The key document keeps a tombstone (who erased, when).
 */
@Component
public class PersonalDataVault {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MongoCollection<Document> keys;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public PersonalDataVault(MongoClient client, CivharmMongoProperties mongo, ObjectMapper mapper, Clock clock) {
        this.keys = client.getDatabase(mongo.database()).getCollection("data_subject_keys");
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A new data subject with a fresh key. */
    public String newSubject() {
        String subjectId = "DS-" + UUID.randomUUID();
        byte[] key = new byte[32];
        random.nextBytes(key);
        keys.insertOne(new Document("_id", subjectId).append("key", Base64.getEncoder().encodeToString(key))
                .append("createdAt", Date.from(clock.instant())));
        return subjectId;
    }

    public SealedPersonalData seal(String subjectId, PersonalDetails details) {
        byte[] key = key(subjectId).orElseThrow(() -> new IllegalStateException("data subject " + subjectId + " has no key"));
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(subjectId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(mapper.writeValueAsBytes(details));
            return new SealedPersonalData(subjectId, SealedPersonalData.AES_256_GCM,
                    Base64.getEncoder().encodeToString(nonce), Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot seal personal data of " + subjectId, e);
        }
    }

    /** The details, or empty when the subject was erased (its key destroyed). */
    public Optional<PersonalDetails> open(SealedPersonalData sealed) {
        if (sealed == null) {
            return Optional.empty();
        }
        Optional<byte[]> key = key(sealed.subjectId());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.get(), "AES"),
                    new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(sealed.nonce())));
            cipher.updateAAD(sealed.subjectId().getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(Base64.getDecoder().decode(sealed.ciphertext()));
            return Optional.of(mapper.readValue(plain, PersonalDetails.class));
        } catch (GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
            throw new IllegalStateException("sealed personal data of " + sealed.subjectId() + " does not open", e);
        }
    }

    public boolean isErased(String subjectId) {
        Document doc = keys.find(Filters.eq("_id", subjectId)).first();
        return doc != null && doc.get("erasedAt") != null;
    }

    public boolean exists(String subjectId) {
        return keys.countDocuments(Filters.eq("_id", subjectId)) > 0;
    }

    /** Destroys the subject's key; idempotent. Returns false for an unknown subject. */
    public boolean erase(String subjectId, String erasedBy, String reason) {
        return keys.updateOne(Filters.eq("_id", subjectId), Updates.combine(Updates.unset("key"),
                Updates.set("erasedAt", Date.from(clock.instant())), Updates.set("erasedBy", erasedBy),
                Updates.set("reason", reason))).getMatchedCount() > 0;
    }

    private Optional<byte[]> key(String subjectId) {
        Document doc = keys.find(Filters.eq("_id", subjectId)).first();
        return doc == null || doc.getString("key") == null ? Optional.empty()
                : Optional.of(Base64.getDecoder().decode(doc.getString("key")));
    }
}
