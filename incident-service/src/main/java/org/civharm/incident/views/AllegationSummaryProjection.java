package org.civharm.incident.views;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.civharm.contract.incident.AllegationFiledEvent;
import org.civharm.contract.incident.IncidentEvent;
import org.civharm.incident.config.AxonMongoConfig;
import org.springframework.stereotype.Component;

/**
 * Maintains {@link AllegationSummary} documents from the event store (tracking processor, idempotent per case
 * sequence). The fold itself is {@link AllegationSummaries}.
 */
@Component
@ProcessingGroup(AxonMongoConfig.VIEWS)
public class AllegationSummaryProjection {

    private final AllegationSummaryRepository repository;

    public AllegationSummaryProjection(AllegationSummaryRepository repository) {
        this.repository = repository;
    }

    @EventHandler
    void on(AllegationFiledEvent e, @SequenceNumber long sequence) {
        repository.insertIfAbsent(AllegationSummaries.filed(e, sequence));
    }

    @EventHandler
    void on(IncidentEvent e, @SequenceNumber long sequence) {
        repository.update(e.caseId(), sequence, s -> AllegationSummaries.apply(s, e));
    }

    @ResetHandler
    void onReset() {
        repository.deleteAll();
    }
}
