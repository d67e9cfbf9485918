package org.civharm.incident.audit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.civharm.incident.config.CivharmMongoProperties;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Date;
import java.util.Map;

/** Every export is itself recorded: who asked, when, for what (an append-only {@code export_log} collection). */
@Component
public class ExportLog {

    private final MongoCollection<Document> log;
    private final Clock clock;

    public ExportLog(MongoClient client, CivharmMongoProperties mongo, Clock clock) {
        this.log = client.getDatabase(mongo.database()).getCollection("export_log");
        this.clock = clock;
    }

    public void record(String actor, String what, Map<String, ?> filter) {
        log.insertOne(new Document("actor", actor).append("at", Date.from(clock.instant())).append("what", what)
                .append("filter", new Document(filter)));
    }
}
