package org.civharm.infra.mongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How a unique index's keys are ordered and stored in H2. mongo-java-server's H2 backend leaves its keys to H2's
 * {@code ObjectDataType}, which orders objects it does not know by their Java serialisation: every lookup serialised
 * both sides of each comparison of its binary search, a fifth of the server's CPU under civharm's load (JFR).
 * <p>
 * Here keys are compared value by value: values of one class by their natural order (strings, numbers — the index
 * has normalised them to doubles —, booleans, dates, ids), other classes by class name, documents and lists entry by
 * entry. The order only has to be total and agree with {@link KeyValue#equals}: a unique index only looks keys up.
 * Keys are stored as BSON when that round-trips exactly (strings, numbers, booleans, null, ids, whole-millisecond
 * dates, and documents and lists of those), otherwise in H2's format. An index map written in the old order cannot
 * be searched in this one; {@link IndexedH2Backend} rewrites such maps once when it opens an older file.
 */
final class IndexKeyType extends BasicDataType<KeyValue> {

    static final int TAG = 126;

    private final ObjectDataType legacy = new ObjectDataType();

    @Override
    public int compare(KeyValue a, KeyValue b) {
        if (a == b) {
            return 0;
        }
        int bySize = Integer.compare(a.size(), b.size());
        if (bySize != 0) {
            return bySize;
        }
        for (int i = 0; i < a.size(); i++) {
            int c = compareValues(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareValues(Object x, Object y) {
        if (x == y) {
            return 0;
        }
        if (x == null) {
            return -1;
        }
        if (y == null) {
            return 1;
        }
        if (x instanceof Map.Entry<?, ?> ex && y instanceof Map.Entry<?, ?> ey) {
            // a document's fields, compared by name, then value (whatever map implementation holds them)
            int c = compareValues(ex.getKey(), ey.getKey());
            return c != 0 ? c : compareValues(ex.getValue(), ey.getValue());
        }
        Class<?> cx = x.getClass();
        Class<?> cy = y.getClass();
        if (cx != cy) {
            boolean mx = x instanceof Map;
            boolean my = y instanceof Map;
            boolean lx = x instanceof List;
            boolean ly = y instanceof List;
            if (!(mx && my) && !(lx && ly)) {
                return cx.getName().compareTo(cy.getName());
            }
        }
        if (x instanceof Map<?, ?> mx) {
            return compareIterators(((Map<Object, Object>) mx).entrySet().iterator(),
                    ((Map<Object, Object>) y).entrySet().iterator());
        }
        if (x instanceof List<?> lx) {
            return compareIterators(lx.iterator(), ((List<?>) y).iterator());
        }
        if (x instanceof Comparable cmp) {
            return cmp.compareTo(y);
        }
        // not comparable and not a container (binary data, a regular expression …): H2's byte order, as before
        return ObjectDataType.compareNotNull(ObjectDataType.serialize(x), ObjectDataType.serialize(y));
    }

    private static int compareIterators(Iterator<?> a, Iterator<?> b) {
        while (a.hasNext() && b.hasNext()) {
            int c = compareValues(a.next(), b.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(a.hasNext(), b.hasNext());
    }

    @Override
    public int getMemory(KeyValue key) {
        int size = 48;
        for (Object value : key) {
            size += StoredValues.estimateMemory(value, 0);
        }
        return size;
    }

    @Override
    public void write(WriteBuffer buff, KeyValue key) {
        byte[] bson = null;
        if (roundTrips(key)) {
            Document asDocument = new Document();
            int i = 0;
            for (Object value : key) {
                asDocument.put(Integer.toString(i++), value);
            }
            bson = StoredValues.encode(asDocument);
        }
        if (bson == null) {
            legacy.write(buff, key);
        } else {
            StoredValues.write(buff, TAG, bson);
        }
    }

    @Override
    public KeyValue read(ByteBuffer buff) {
        if (StoredValues.peekTag(buff) == TAG) {
            return new KeyValue(new ArrayList<>(StoredValues.read(buff).values()));
        }
        return (KeyValue) legacy.read(buff);
    }

    @Override
    public KeyValue[] createStorage(int size) {
        return new KeyValue[size];
    }

    private static boolean roundTrips(Iterable<?> values) {
        for (Object value : values) {
            if (!roundTrips(value)) {
                return false;
            }
        }
        return true;
    }

    /** Whether BSON gives back an equal value of the same class. */
    private static boolean roundTrips(Object value) {
        if (value == null || value instanceof String || value instanceof Double || value instanceof Long
                || value instanceof Integer || value instanceof Boolean || value instanceof ObjectId) {
            return true;
        }
        if (value instanceof Instant instant) {
            return instant.getNano() % 1_000_000 == 0;
        }
        if (value instanceof Document document) {
            return roundTrips(document.values());
        }
        if (value instanceof List<?> list) {
            return roundTrips(list);
        }
        return false;
    }
}
