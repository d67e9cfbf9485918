package org.civharm.accountability.views;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;

import java.util.LinkedHashMap;

/**
 * A view object <-> its MongoDB document, through Jackson's token buffer rather than JSON text: writing the object as
 * a string for {@code Document.parse} (and back through {@code toJson}) took most of a view rebuild's CPU in
 * incident-service's profile, and the live projections pay it on every record. Fields a newer version of the view
 * wrote are skipped when reading.
 */
final class ViewDocuments {

    private static final TypeReference<LinkedHashMap<String, Object>> FIELDS = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    ViewDocuments(ObjectMapper mapper) {
        this.mapper = mapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The view's fields as a document with {@code _id} set to {@code id}. */
    Document toDocument(Object view, String id) {
        Document doc = new Document(mapper.convertValue(view, FIELDS));
        doc.put("_id", id);
        return doc;
    }

    /** The view stored in {@code doc} (its {@code _id} left out). */
    <T> T fromDocument(Document doc, Class<T> type) {
        Document copy = new Document(doc);
        copy.remove("_id");
        try {
            return mapper.convertValue(copy, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot read " + type.getSimpleName() + " " + doc.get("_id"), e);
        }
    }
}
