package org.civharm.accountability.views;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A view's live collection as named by its {@link ViewPointers pointer}. Reads use the collection the pointer named
 * at most {@value #REFRESH_MS} ms ago; writes look the pointer up each time (a consumed record's writes once, in a
 * {@link ViewPointers#pinned} scope), so no write lands in a collection a rebuild (possibly on another instance) has
 * replaced before the write, or before the record's handling began.
 */
final class PointedCollection {

    static final long REFRESH_MS = 2000;

    private final ViewPointers pointers;
    private final String base;
    private final Consumer<MongoCollection<Document>> prepare;
    private final java.util.Map<String, MongoCollection<Document>> preparedByName = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile MongoCollection<Document> cached;
    private volatile long readAt;

    /**
     * @param base    the view's base collection name (also the pointer's id)
     * @param prepare creates the indexes a collection of this view needs
     */
    PointedCollection(ViewPointers pointers, String base, Consumer<MongoCollection<Document>> prepare) {
        this.pointers = pointers;
        this.base = base;
        this.prepare = prepare;
        this.cached = prepared(pointers.current(base));
        this.readAt = System.currentTimeMillis();
    }

    String base() {
        return base;
    }

    /** The live collection for reading (the pointer re-read at most every two seconds). */
    MongoCollection<Document> read() {
        if (System.currentTimeMillis() - readAt > REFRESH_MS) {
            follow(pointers.current(base));
        }
        return cached;
    }

    /** The live collection as the pointer names it right now, for writing. */
    MongoCollection<Document> write() {
        follow(pointers.current(base));
        return cached;
    }

    String currentName() {
        return pointers.current(base);
    }

    /** A collection of this view by name, with its indexes. */
    MongoCollection<Document> prepared(String name) {
        return preparedByName.computeIfAbsent(name, n -> {
            MongoCollection<Document> collection = pointers.database().getCollection(n);
            prepare.accept(collection);
            return collection;
        });
    }

    /** Makes {@code name} the live collection; answers the one it replaced. */
    String switchTo(String name) {
        String previous = pointers.switchTo(base, name);
        follow(name);
        return previous;
    }

    void drop(String name) {
        if (!name.equals(pointers.current(base))) {
            pointers.database().getCollection(name).drop();
            preparedByName.remove(name);
        }
    }

    /** Every document of a collection of this view, by id (to compare a rebuilt view with the one it replaced). */
    List<Document> contents(String name) {
        List<Document> out = new ArrayList<>();
        pointers.database().getCollection(name).find().sort(Sorts.ascending("_id")).into(out);
        return out;
    }

    private void follow(String name) {
        if (!name.equals(cached.getNamespace().getCollectionName())) {
            cached = pointers.database().getCollection(name);
        }
        readAt = System.currentTimeMillis();
    }
}
