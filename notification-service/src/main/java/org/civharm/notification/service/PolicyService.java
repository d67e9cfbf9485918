package org.civharm.notification.service;

import org.civharm.notification.config.PolicyProperties;
import org.civharm.notification.domain.PolicySet;
import org.civharm.notification.domain.PolicySettings;
import org.civharm.notification.store.PolicyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The policies in force. At start-up the configured policies ({@code civharm.policies.*} over the built-in defaults)
 * are validated — a bad value stops the service with the property named — and stored if the database has none yet;
 * from then on the stored set is in force, changed only through {@code PUT /policies}, and so survives restarts.
 */
@Service
public class PolicyService {

    private static final Logger log = LoggerFactory.getLogger(PolicyService.class);

    private final PolicyStore store;
    private final TimeSource time;
    private volatile PolicySet current;

    public PolicyService(PolicyStore store, PolicyProperties properties, TimeSource time) {
        this.store = store;
        this.time = time;
        PolicySet configured = PolicySet.defaults();
        if (!properties.policies().isEmpty()) {
            PolicySet.Change change = configured.change(properties.policies(), time.now(), "configuration");
            if (!change.accepted()) {
                throw new IllegalStateException("invalid policy configuration: " + change.problems().stream()
                        .map(p -> "civharm.policies." + p.field() + " " + p.message()).collect(Collectors.joining("; ")));
            }
            configured = change.result();
        }
        PolicySet seed = new PolicySet(configured.policies(), 1, time.now(), "configuration");
        if (store.insertIfAbsent(seed)) {
            log.info("policies stored from configuration: {}", seed.policies().values());
        }
        this.current = store.load().orElseThrow();
    }

    public PolicySet current() {
        return current;
    }

    /** Re-reads the stored set (another instance may have changed it). */
    public PolicySet refresh() {
        store.load().ifPresent(set -> current = set);
        return current;
    }

    /**
     * Validates and stores a change; refused changes store nothing.
     *
     * @throws ConcurrentChangeException when the stored set changed since it was read
     */
    PolicySet.Change change(Map<String, PolicySettings> edits, String actor) {
        PolicySet base = refresh();
        PolicySet.Change change = base.change(edits, time.now(), actor);
        if (!change.accepted()) {
            return change;
        }
        if (!store.replace(change.result())) {
            throw new ConcurrentChangeException("the policies were changed by someone else at the same time; "
                    + "read them again and retry");
        }
        current = change.result();
        log.info("policies changed by {} to version {}: {}", actor, current.version(), edits);
        return change;
    }
}
