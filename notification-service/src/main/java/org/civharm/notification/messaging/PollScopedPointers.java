package org.civharm.notification.messaging;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.civharm.notification.store.ViewPointers;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.stereotype.Component;

/**
 * Reads the views' pointers once per poll of the case-event listener rather than once per record: the container
 * calls {@link #setupThreadState} before each poll and {@link #clearThreadState} after the poll's records were
 * handled (Spring Boot hands this bean to the listener container factory). A switch made through this instance
 * meanwhile is still seen at the next write ({@link ViewPointers}); another instance's, by the next poll.
 */
@Component
class PollScopedPointers implements RecordInterceptor<Object, Object> {

    private final ViewPointers pointers;

    PollScopedPointers(ViewPointers pointers) {
        this.pointers = pointers;
    }

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
                                                    Consumer<Object, Object> consumer) {
        return record;
    }

    @Override
    public void setupThreadState(Consumer<?, ?> consumer) {
        pointers.openPollScope();
    }

    @Override
    public void clearThreadState(Consumer<?, ?> consumer) {
        pointers.closePollScope();
    }
}
