package org.civharm.infra.demo;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads demonstration data into a freshly started local system through the services' public HTTP APIs.
 * Called by {@link org.civharm.infra.LocalSystem} once every service reports UP.
 *
 * <p>Stub for now: it loads nothing.
 */
public final class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private DemoData() {
    }

    /**
     * @param incidentBase       base URL of incident-service, e.g. {@code http://127.0.0.1:8081}
     * @param accountabilityBase base URL of accountability-service, e.g. {@code http://127.0.0.1:8082}
     */
    public static void load(URI incidentBase, URI accountabilityBase) throws Exception {
        log.info("demo data: none yet");
    }
}
