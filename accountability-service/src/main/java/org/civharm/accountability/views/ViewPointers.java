package org.civharm.accountability.views;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which collection holds each view right now: one pointer document per view in {@code view_pointers}
 * ({@code {_id: <view's base collection>, collection: <live collection>}}); no document means the base collection.
 * A rebuild fills a fresh collection while readers keep the old one, then switches the pointer.
 */
@Component
public class ViewPointers {

    static final String COLLECTION = "view_pointers";

    private final MongoDatabase database;
    private final MongoCollection<Document> pointers;
    /** The pointers read in the current {@link #pinned} scope of this thread (empty until first used). */
    private final ThreadLocal<Map<String, String>> pinned = new ThreadLocal<>();

    public ViewPointers(MongoClient client, CivharmMongoProperties mongo) {
        this.database = client.getDatabase(mongo.database());
        this.pointers = database.getCollection(COLLECTION);
    }

    MongoDatabase database() {
        return database;
    }

    /**
     * The live collection of a view: inside {@link #pinned} as read at the scope's first use, otherwise read now.
     */
    public String current(String base) {
        Map<String, String> pins = pinned.get();
        if (pins != null) {
            if (pins.isEmpty()) {
                pins.put(base, base); // a view without a pointer document lives in its base collection
                pointers.find().forEach(p -> pins.put(p.getString("_id"), p.getString("collection")));
            }
            return pins.getOrDefault(base, base);
        }
        return stored(base);
    }

    private String stored(String base) {
        Document pointer = pointers.find(Filters.eq("_id", base)).first();
        return pointer == null ? base : pointer.getString("collection");
    }

    /**
     * Runs {@code work} with every view's pointer read once, in one query, at its first use, instead of once per
     * write: a consumed record makes several writes (up to five in notification-service), and in profiles at 500
     * commands/s these lookups were about a third of the listener's waits. The guarantee is unchanged in kind: a
     * write lands in the collection its pointer named a moment before (a record's handling instead of one
     * operation), and a rebuild on this instance never switches inside a scope (it holds the listener back while it
     * switches). Nested scopes use the outer one's pointers.
     */
    public <T> T pinned(Supplier<T> work) {
        if (pinned.get() != null) {
            return work.get();
        }
        pinned.set(new HashMap<>());
        try {
            return work.get();
        } finally {
            pinned.remove();
        }
    }

    public void pinned(Runnable work) {
        pinned(() -> {
            work.run();
            return null;
        });
    }

    /** Points the view at {@code collection}; answers the collection it replaced. */
    String switchTo(String base, String collection) {
        String previous = stored(base);
        pointers.replaceOne(Filters.eq("_id", base), new Document("_id", base).append("collection", collection),
                new ReplaceOptions().upsert(true));
        Map<String, String> pins = pinned.get();
        if (pins != null && !pins.isEmpty()) {
            pins.put(base, collection);
        }
        return previous;
    }
}
