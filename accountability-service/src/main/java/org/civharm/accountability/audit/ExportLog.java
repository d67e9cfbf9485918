package org.civharm.accountability.audit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every export is itself recorded: who asked, when, for what (kind and filter), in which format and how many rows —
 * an append-only {@code export_log} collection, written before the export is served.
 */
@Component
public class ExportLog {

    private final MongoCollection<Document> log;
    private final Clock clock;

    public ExportLog(MongoClient client, CivharmMongoProperties mongo, Clock clock) {
        this.log = client.getDatabase(mongo.database()).getCollection("export_log");
        this.clock = clock;
    }

    /**
     * @param what   e.g. {@code case export}, {@code incidents}
     * @param filter the filter as asked (null values left out)
     * @param format json or csv
     * @param rows   events or rows exported
     */
    public void record(String actor, String what, Map<String, ?> filter, String format, long rows) {
        Document f = new Document();
        filter.forEach((k, v) -> {
            if (v != null) {
                f.append(k, v.toString());
            }
        });
        log.insertOne(new Document("actor", actor).append("at", Date.from(clock.instant())).append("what", what)
                .append("filter", f).append("format", format).append("rows", rows));
    }

    /** The latest entries, newest first. */
    public List<Entry> latest(int limit) {
        List<Entry> out = new ArrayList<>();
        for (Document d : log.find().sort(Sorts.descending("at", "_id")).limit(limit)) {
            Map<String, Object> filter = new LinkedHashMap<>();
            Document f = d.get("filter", Document.class);
            if (f != null) {
                filter.putAll(f);
            }
            out.add(new Entry(d.getString("actor"), d.getDate("at").toInstant(), d.getString("what"), filter,
                    d.getString("format"), d.get("rows") instanceof Number n ? n.longValue() : 0));
        }
        return out;
    }

    /** One recorded export. */
    public record Entry(String actor, Instant at, String what, Map<String, Object> filter, String format, long rows) {
    }
}
