package org.civharm.notification.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.civharm.notification.config.CivharmMongoProperties;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Which collection holds each rebuildable view right now: one pointer document per view in {@code view_pointers}
 * ({@code {_id: <view's base collection>, collection: <live collection>}}); no document means the base collection.
 * A rebuild fills a fresh collection while readers keep the old one, then switches the pointer (as in
 * accountability-service).
 */
@Component
public class ViewPointers {

    static final String COLLECTION = "view_pointers";

    private final MongoDatabase database;
    private final MongoCollection<Document> pointers;
    /** The pointers read in the current scope of this thread ({@link #pinned}, {@link #openPollScope}). */
    private final ThreadLocal<Pins> pinned = new ThreadLocal<>();
    /** Switches made through this instance: a scope whose pins predate one reads the pointers again. */
    private final AtomicLong switches = new AtomicLong();

    /** A scope's pointers, read at its first use (empty until then) after {@code switches} switches. */
    private static final class Pins {
        final Map<String, String> collections = new HashMap<>();
        long readAfter = -1;
    }

    public ViewPointers(MongoClient client, CivharmMongoProperties mongo) {
        this.database = client.getDatabase(mongo.database());
        this.pointers = database.getCollection(COLLECTION);
    }

    MongoDatabase database() {
        return database;
    }

    /**
     * The live collection of a view: inside a scope as read at the scope's first use (or again after a switch made
     * through this instance since), otherwise read now.
     */
    public String current(String base) {
        Pins pins = pinned.get();
        if (pins == null) {
            return stored(base);
        }
        long switched = switches.get();
        if (pins.readAfter != switched) {
            pins.collections.clear();
            pointers.find().forEach(p -> pins.collections.put(p.getString("_id"), p.getString("collection")));
            pins.readAfter = switched;
        }
        return pins.collections.getOrDefault(base, base); // no pointer document: the base collection
    }

    private String stored(String base) {
        Document pointer = pointers.find(new Document("_id", base)).first();
        return pointer == null ? base : pointer.getString("collection");
    }

    /**
     * Runs {@code work} with every view's pointer read once, in one query, at its first use, instead of once per
     * write: a consumed record makes several writes (up to five in notification-service), and in profiles at 500
     * commands/s these lookups were about a third of the listener's waits. A write lands in the collection its
     * pointer named a moment before (the scope's first use, not the write itself); a switch made through this
     * instance meanwhile is seen at once, another instance's by the next scope. Nested scopes use the outer one's
     * pointers.
     */
    public <T> T pinned(Supplier<T> work) {
        if (pinned.get() != null) {
            return work.get();
        }
        pinned.set(new Pins());
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

    /**
     * Opens a scope for the rest of a Kafka listener's poll (the records one poll returned), closed by
     * {@link #closePollScope}: one pointer query per poll instead of one per record. Under load a poll returns tens of
     * records; benchmark counts put the per-record query at about a tenth of all MongoDB requests.
     */
    public void openPollScope() {
        pinned.set(new Pins());
    }

    public void closePollScope() {
        pinned.remove();
    }

    /** Points the view at {@code collection}; answers the collection it replaced. */
    String switchTo(String base, String collection) {
        String previous = stored(base);
        pointers.replaceOne(new Document("_id", base), new Document("_id", base).append("collection", collection),
                new ReplaceOptions().upsert(true));
        switches.incrementAndGet();
        return previous;
    }
}
