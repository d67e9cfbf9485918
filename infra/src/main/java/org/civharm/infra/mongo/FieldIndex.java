package org.civharm.infra.mongo;

import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An ordered in-memory index of one top-level field of one collection: value → positions of the documents holding it.
 * It answers with candidate positions only; the collection still matches every candidate against the whole query, so
 * a candidate set may be larger than the answer but never misses a document:
 * <ul>
 *   <li>documents whose value is an array, a sub-document or a type this index does not order are candidates for
 *       every lookup ({@link #unordered});</li>
 *   <li>documents without the field, or with null, are candidates for a lookup of null ({@link #absent}).</li>
 * </ul>
 * Not thread-safe: the collection calls it under its own lock.
 */
@SuppressWarnings("unchecked") // positions are stored untyped beside Many, which a position never is
final class FieldIndex<P> {

    private final String field;
    /**
     * Value → its one position, or {@link Many} when several documents hold it. Most indexed values are held by one
     * document (ids, positions, timestamps): a set per value cost about 200 bytes each, and a register of 100 k cases
     * (about a million documents across the services' collections and a rebuild's copies) filled the server's 1 GiB
     * heap with them (benchmark run K).
     */
    private final NavigableMap<Object, Object> byValue = new TreeMap<>(ValueComparator.ascWithoutListHandling());
    private final Set<P> absent = new LinkedHashSet<>();
    private final Set<P> unordered = new LinkedHashSet<>();

    FieldIndex(String field) {
        this.field = field;
    }

    void add(Document document, P position) {
        Object value = document.get(field);
        if (value == null) {
            absent.add(position);
        } else if (!isOrdered(value)) {
            unordered.add(position);
        } else {
            Object held = byValue.putIfAbsent(value, position);
            if (held instanceof Many<?> many) {
                ((Many<P>) many).add(position);
            } else if (held != null && !held.equals(position)) {
                Many<P> both = new Many<>();
                both.add((P) held);
                both.add(position);
                byValue.put(value, both);
            }
        }
    }

    void remove(Document document, P position) {
        Object value = document.get(field);
        if (value == null) {
            absent.remove(position);
        } else if (!isOrdered(value)) {
            unordered.remove(position);
        } else {
            Object held = byValue.get(value);
            if (held instanceof Many<?> many) {
                many.remove(position);
                if (many.size() == 1) {
                    byValue.put(value, many.iterator().next());
                } else if (many.isEmpty()) {
                    byValue.remove(value);
                }
            } else if (held != null && held.equals(position)) {
                byValue.remove(value);
            }
        }
    }

    /** The positions a value of {@link #byValue} stands for (none for null). */
    private Collection<P> positions(Object held) {
        if (held == null) {
            return Set.of();
        }
        return held instanceof Many<?> many ? (Many<P>) many : Set.of((P) held);
    }

    /** Several positions of one value (a type of its own: a position is never one). */
    private static final class Many<P> extends LinkedHashSet<P> {
    }

    /** Types compared the same way by this index's comparator and by the query matcher. */
    static boolean isOrdered(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Instant || value instanceof Date || value instanceof ObjectId
                || value instanceof UUID;
    }

    /**
     * Candidates for one condition on this field ({@code value} as it stands in the query), or null when this index
     * cannot narrow it (negations, regular expressions, {@code $exists}, sub-document equality, ...).
     */
    Set<P> candidates(Object condition) {
        return candidates(condition, Integer.MAX_VALUE);
    }

    /**
     * As {@link #candidates(Object)}, but gives up (null) once a range would yield more than {@code limit} positions:
     * the caller already has a narrower set, and materialising a range over most of a large collection for every
     * query was most of the server's CPU once the register grew (JFR, run I: tracking reads send
     * {@code globalIndex > n} and {@code globalIndex <= n + w}, and the second alone matches every event).
     */
    Set<P> candidates(Object condition, int limit) {
        if (condition == null) {
            return union(absent);
        }
        if (isOrdered(condition)) {
            return union(positions(byValue.get(condition)));
        }
        if (!(condition instanceof Document operators) || operators.isEmpty()) {
            return null;
        }
        // with other operators beside them, these candidates are still a superset of the answer
        if (operators.containsKey("$eq")) {
            Object operand = operators.get("$eq");
            return operand instanceof Document ? null : candidates(operand);
        }
        if (operators.containsKey("$in")) {
            return in(operators.get("$in"));
        }
        NavigableMap<Object, Object> range = within(operators);
        if (range == null) {
            return null;
        }
        Set<P> out = new LinkedHashSet<>(unordered);
        if (out.size() > limit) {
            return null;
        }
        for (Object held : range.values()) {
            out.addAll(positions(held));
            if (out.size() > limit) {
                return null;
            }
        }
        return out;
    }

    /**
     * One range condition from several on the same field ({@code $and} of {@code $gt} and {@code $lte}, as the driver
     * renders {@code Filters.and}), keeping the tightest bound of each side; null when they are not all plain ranges
     * over values this index orders.
     */
    static Document mergedRange(List<Object> conditions) {
        Object lower = null;
        Object upper = null;
        String lowerOp = null;
        String upperOp = null;
        Comparator<Object> order = ValueComparator.ascWithoutListHandling();
        for (Object condition : conditions) {
            if (!(condition instanceof Document operators) || operators.isEmpty()) {
                return null;
            }
            for (Map.Entry<String, Object> op : operators.entrySet()) {
                Object operand = op.getValue();
                if (!isOrdered(operand)) {
                    return null;
                }
                switch (op.getKey()) {
                    case "$gt", "$gte" -> {
                        int c = lower == null ? 1 : order.compare(operand, lower);
                        if (c > 0 || c == 0 && op.getKey().equals("$gt")) {
                            lower = operand;
                            lowerOp = op.getKey();
                        }
                    }
                    case "$lt", "$lte" -> {
                        int c = upper == null ? -1 : order.compare(operand, upper);
                        if (c < 0 || c == 0 && op.getKey().equals("$lt")) {
                            upper = operand;
                            upperOp = op.getKey();
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
        }
        if (lower == null || upper == null || order.compare(lower, upper) > 0) {
            return null; // one side only (already a single condition), or an empty range: leave it to the matcher
        }
        return new Document(lowerOp, lower).append(upperOp, upper);
    }

    /**
     * Every position in the order of this field's values, as MongoDB sorts on the field (missing and null first when
     * ascending, last when descending), or null when a value this index does not order (an array, a sub-document)
     * would have to be placed. Lazy: a query with a limit reads only the first positions (the newest event of a
     * store, {@code sort(globalIndex: -1).limit(1)}, was a sort of every stored event).
     */
    Iterable<P> inOrder(boolean ascending) {
        if (!unordered.isEmpty()) {
            return null;
        }
        return () -> {
            Stream<P> values = (ascending ? byValue : byValue.descendingMap()).values().stream()
                    .flatMap(held -> positions(held).stream());
            return (ascending ? Stream.concat(absent.stream(), values) : Stream.concat(values, absent.stream()))
                    .iterator();
        };
    }

    /**
     * The positions whose value lies in {@code range} ({@code $gt}/{@code $gte}/{@code $lt}/{@code $lte} on this
     * field), in the order of a sort on the field, or null when the range is not one this index can walk or a value it
     * does not order would have to be placed. Missing and null values are left out: no such range matches them (a
     * document with an array or a sub-document there might, hence the null). Lazy, like {@link #inOrder(boolean)}: a
     * claim of the oldest due delivery ({@code nextAttemptAt <= now}, sorted on it, limit 1) reads the first entries
     * instead of decoding and sorting every pending one.
     */
    Iterable<P> inOrder(boolean ascending, Object range) {
        if (!unordered.isEmpty() || !(range instanceof Document operators) || operators.isEmpty()) {
            return null;
        }
        NavigableMap<Object, Object> values = within(operators);
        if (values == null) {
            return null;
        }
        return () -> (ascending ? values : values.descendingMap()).values().stream()
                .flatMap(held -> positions(held).stream()).iterator();
    }

    /**
     * The part of {@link #byValue} a range condition selects, or null when the condition is not only
     * {@code $gt}/{@code $gte}/{@code $lt}/{@code $lte} over values this index orders.
     */
    private NavigableMap<Object, Object> within(Document operators) {
        Object lower = null;
        Object upper = null;
        boolean lowerInclusive = false;
        boolean upperInclusive = false;
        for (Map.Entry<String, Object> op : operators.entrySet()) {
            Object operand = op.getValue();
            if (!isOrdered(operand)) {
                return null;
            }
            switch (op.getKey()) {
                case "$gt", "$gte" -> {
                    lower = operand;
                    lowerInclusive = op.getKey().equals("$gte");
                }
                case "$lt", "$lte" -> {
                    upper = operand;
                    upperInclusive = op.getKey().equals("$lte");
                }
                default -> {
                    return null;
                }
            }
        }
        if (lower != null && upper != null) {
            int c = byValue.comparator().compare(lower, upper);
            if (c > 0 || c == 0 && !(lowerInclusive && upperInclusive)) {
                return new TreeMap<>(byValue.comparator()); // an empty range (a sub-map of it would throw)
            }
        }
        NavigableMap<Object, Object> range = byValue;
        if (lower != null) {
            range = range.tailMap(lower, lowerInclusive);
        }
        if (upper != null) {
            range = range.headMap(upper, upperInclusive);
        }
        return range;
    }

    private Set<P> in(Object operand) {
        if (!(operand instanceof Collection<?> values)) {
            return null;
        }
        Set<P> out = new LinkedHashSet<>();
        for (Object v : values) {
            if (v == null) {
                out.addAll(absent);
            } else if (isOrdered(v)) {
                out.addAll(positions(byValue.get(v)));
            } else {
                return null; // a regular expression or a sub-document among the values
            }
        }
        out.addAll(unordered);
        return out;
    }

    /**
     * The bucket with the unordered positions; the bucket itself (read-only) when there are none. A copy per query
     * made the claim of the next due delivery ({@code state: PENDING}) cost as much as the backlog of pending
     * deliveries: in a profile of a rebuild at 10 k cases, 192 of the server's 691 samples were these copies. The
     * view is safe: the collection's queries and its index changes hold the same lock, and a query's matches are
     * collected before it returns.
     */
    private Set<P> union(Collection<P> bucket) {
        if (unordered.isEmpty() && bucket instanceof Set<P> set) {
            return Collections.unmodifiableSet(set);
        }
        Set<P> out = new LinkedHashSet<>(bucket);
        out.addAll(unordered);
        return out;
    }

    /** Fields of a query that may be narrowed: top level, or inside a top-level {@code $and}. */
    static void conditions(Document query, String field, List<Object> into) {
        for (Map.Entry<String, Object> e : query.entrySet()) {
            if (e.getKey().equals(field)) {
                into.add(e.getValue()); // null too: {field: null} is a condition (missing or null)
            } else if (e.getKey().equals("$and") && e.getValue() instanceof Collection<?> clauses) {
                for (Object clause : clauses) {
                    if (clause instanceof Document d) {
                        conditions(d, field, into);
                    }
                }
            }
        }
    }
}
