package org.civharm.accountability.views;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.civharm.accountability.config.AxonMongoConfig;
import org.civharm.contract.accountability.AccountabilityEvent;
import org.civharm.contract.accountability.AccountabilityRecordOpenedEvent;
import org.springframework.stereotype.Component;

/**
 * Maintains {@link AccountabilityRecordView} documents from this service's event store (tracking processor,
 * idempotent per case sequence), with the fold in {@link AccountabilityRecords}.
 */
@Component
@ProcessingGroup(AxonMongoConfig.VIEWS)
public class AccountabilityRecordProjection {

    private final AccountabilityRecordRepository repository;

    public AccountabilityRecordProjection(AccountabilityRecordRepository repository) {
        this.repository = repository;
    }

    @EventHandler
    void on(AccountabilityEvent event, @SequenceNumber long seq) {
        if (event instanceof AccountabilityRecordOpenedEvent opened) {
            repository.insertIfAbsent(AccountabilityRecords.opened(opened, seq));
        } else {
            repository.update(event.caseId(), seq, v -> AccountabilityRecords.apply(v, event));
        }
    }

    @ResetHandler
    void onReset() {
        repository.deleteAll();
    }
}
