package org.civharm.accountability.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.civharm.contract.accountability.InvestigatingBody;
import org.civharm.contract.accountability.InvestigationScope;

import java.time.Instant;
import java.util.List;

/** Open an investigation into the case; answered with its id, e.g. {@code INV-1}. */
public record OpenInvestigationCommand(
        @TargetAggregateIdentifier String caseId,
        InvestigatingBody conductedBy,
        String bodyName,
        List<InvestigationScope> scope,
        String actor,
        Instant occurredAt) {
}
