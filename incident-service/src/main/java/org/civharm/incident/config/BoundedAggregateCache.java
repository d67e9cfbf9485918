package org.civharm.incident.config;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A least-recently-used cache of loaded aggregates, bounded by entry count, for Axon's caching repository.
 * <p>
 * Why: without it every command loads its case from the event store, and the Mongo-wire server used locally answers
 * Axon's load query with a scan of the whole event collection — each command cost more as the register grew. With
 * it, a case being worked on is loaded once.
 * <p>
 * Why it stays correct with several instances writing the same case: a cached case may be behind another instance's
 * appends, but the append of a command decided on stale state collides with the unique (case, sequence) index and
 * fails as a concurrency conflict (409 to the caller, nothing stored). Axon's caching repository evicts the case on
 * every rolled-back unit of work, so the caller's retry loads the case afresh and the rules are checked again.
 * Axon's own {@code WeakReferenceCache} would also work, but it is emptied by every garbage collection, which under
 * load is several times a second; a count bound keeps memory predictable. A case with hundreds of evidence items is
 * not small, so 1,000 are cached by default ({@code civharm.aggregate-cache.max-entries}).
 */
public final class BoundedAggregateCache implements Cache {

    private final Map<Object, Object> entries;
    private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();

    public BoundedAggregateCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                if (size() > maxEntries) {
                    listeners.forEach(l -> l.onEntryExpired(eldest.getKey()));
                    return true;
                }
                return false;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        V value = (V) entries.get(key);
        if (value != null) {
            listeners.forEach(l -> l.onEntryRead(key, value));
        }
        return value;
    }

    @Override
    public synchronized void put(Object key, Object value) {
        if (value == null) {
            remove(key);
            return;
        }
        boolean existed = entries.put(key, value) != null;
        listeners.forEach(l -> {
            if (existed) {
                l.onEntryUpdated(key, value);
            } else {
                l.onEntryCreated(key, value);
            }
        });
    }

    @Override
    public synchronized boolean putIfAbsent(Object key, Object value) {
        if (entries.containsKey(key)) {
            return false;
        }
        put(key, value);
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        T existing = (T) entries.get(key);
        if (existing != null) {
            return existing;
        }
        T value = valueSupplier.get();
        put(key, value);
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        V existing = (V) entries.get(key);
        if (existing != null) {
            put(key, update.apply(existing));
        }
    }

    @Override
    public synchronized boolean remove(Object key) {
        if (entries.remove(key) == null) {
            return false;
        }
        listeners.forEach(l -> l.onEntryRemoved(key));
        return true;
    }

    @Override
    public synchronized void removeAll() {
        List<Object> keys = List.copyOf(entries.keySet());
        entries.clear();
        keys.forEach(k -> listeners.forEach(l -> l.onEntryRemoved(k)));
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    public synchronized int size() {
        return entries.size();
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
