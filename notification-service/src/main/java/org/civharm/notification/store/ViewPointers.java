package org.civharm.notification.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.civharm.notification.config.CivharmMongoProperties;
import org.springframework.stereotype.Component;

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

    public ViewPointers(MongoClient client, CivharmMongoProperties mongo) {
        this.database = client.getDatabase(mongo.database());
        this.pointers = database.getCollection(COLLECTION);
    }

    MongoDatabase database() {
        return database;
    }

    /** The live collection of a view. */
    public String current(String base) {
        Document pointer = pointers.find(new Document("_id", base)).first();
        return pointer == null ? base : pointer.getString("collection");
    }

    /** Points the view at {@code collection}; answers the collection it replaced. */
    String switchTo(String base, String collection) {
        String previous = current(base);
        pointers.replaceOne(new Document("_id", base), new Document("_id", base).append("collection", collection),
                new ReplaceOptions().upsert(true));
        return previous;
    }
}
