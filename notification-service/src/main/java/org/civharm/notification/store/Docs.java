package org.civharm.notification.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.civharm.notification.domain.FactRef;

import java.time.Instant;
import java.util.Date;

/** Mapping helpers: instants are stored as BSON dates (millisecond precision), so range queries compare dates. */
final class Docs {

    private Docs() {
    }

    static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    static Instant instant(Document doc, String field) {
        Date d = doc.getDate(field);
        return d == null ? null : d.toInstant();
    }

    /** Instants are kept at millisecond precision everywhere, so what is stored reads back equal. */
    static Instant millis(Instant instant) {
        return instant == null ? null : Instant.ofEpochMilli(instant.toEpochMilli());
    }

    static Document factRef(FactRef ref) {
        return ref == null ? null : new Document("eventId", ref.eventId()).append("eventType", ref.eventType())
                .append("occurredAt", date(ref.occurredAt()));
    }

    static FactRef factRef(Document doc, String field) {
        Document d = doc.get(field, Document.class);
        return d == null ? null : new FactRef(d.getString("eventId"), d.getString("eventType"), instant(d, "occurredAt"));
    }

    /** Inserts unless a document with the same {@code _id} exists; true when this call inserted it. */
    static boolean insertIfAbsent(MongoCollection<Document> collection, Document doc) {
        try {
            collection.insertOne(doc);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** A plain filter document (no {@code $and}), which the embedded server and MongoDB both match fast. */
    static Document idAndVersion(String id, long version) {
        return new Document("_id", id).append("version", version);
    }
}
