package org.civharm.notification.store;

import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cases whose facts or obligations this instance wrote while a rebuild was catching up, so that its last pass
 * (under the write lock) re-derives only those. Only this instance's writes are seen: see the rebuild's class comment
 * on running rebuilds with several instances.
 */
@Component
public class ViewChanges {

    private volatile Set<String> touched;

    /** Starts recording; any earlier recording is discarded. */
    public void startRecording() {
        touched = ConcurrentHashMap.newKeySet();
    }

    /** Stops recording and answers the cases touched since {@link #startRecording()}. */
    public Set<String> stopRecording() {
        Set<String> out = touched;
        touched = null;
        return out == null ? Set.of() : Set.copyOf(out);
    }

    void touched(String caseId) {
        Set<String> t = touched;
        if (t != null && caseId != null) {
            t.add(caseId);
        }
    }
}
