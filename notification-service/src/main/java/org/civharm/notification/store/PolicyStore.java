package org.civharm.notification.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.civharm.notification.config.CivharmMongoProperties;
import org.civharm.notification.domain.Policy;
import org.civharm.notification.domain.PolicyKind;
import org.civharm.notification.domain.PolicySet;
import org.springframework.stereotype.Repository;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The policy set in force ({@code policies}, one document {@code _id: "current"}), so changes made through the API
 * survive restarts. Replaced whole, conditional on the version read.
 */
@Repository
public class PolicyStore {

    static final String COLLECTION = "policies";
    static final String CURRENT = "current";

    private final MongoCollection<Document> collection;

    public PolicyStore(MongoClient client, CivharmMongoProperties mongo) {
        this.collection = client.getDatabase(mongo.database()).getCollection(COLLECTION);
    }

    public Optional<PolicySet> load() {
        return Optional.ofNullable(collection.find(new Document("_id", CURRENT)).first()).map(PolicyStore::fromDocument);
    }

    public boolean insertIfAbsent(PolicySet set) {
        return Docs.insertIfAbsent(collection, toDocument(set));
    }

    /** Writes {@code next} if the stored version is still {@code next.version() - 1}. */
    public boolean replace(PolicySet next) {
        return collection.replaceOne(Docs.idAndVersion(CURRENT, next.version() - 1), toDocument(next))
                .getMatchedCount() == 1;
    }

    static Document toDocument(PolicySet set) {
        Document policies = new Document();
        set.policies().forEach((kind, p) -> policies.append(kind.wireName(),
                new Document("enabled", p.enabled()).append(kind.unit().field(), p.value())));
        return new Document("_id", CURRENT).append("version", set.version())
                .append("updatedAt", Docs.date(set.updatedAt())).append("updatedBy", set.updatedBy())
                .append("policies", policies);
    }

    static PolicySet fromDocument(Document d) {
        Map<PolicyKind, Policy> policies = new EnumMap<>(PolicyKind.class);
        Document stored = d.get("policies", Document.class);
        for (PolicyKind kind : PolicyKind.values()) {
            Document p = stored == null ? null : stored.get(kind.wireName(), Document.class);
            if (p != null && p.get(kind.unit().field()) != null) {
                policies.put(kind, new Policy(kind, Boolean.TRUE.equals(p.getBoolean("enabled")),
                        p.get(kind.unit().field(), Number.class).intValue()));
            }
        }
        return new PolicySet(policies, d.get("version", Number.class).longValue(), Docs.instant(d, "updatedAt"),
                d.getString("updatedBy"));
    }
}
