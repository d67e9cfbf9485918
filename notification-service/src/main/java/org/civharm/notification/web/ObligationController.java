package org.civharm.notification.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.notification.domain.ObligationState;
import org.civharm.notification.domain.PolicyKind;
import org.civharm.notification.service.NotFoundException;
import org.civharm.notification.store.ObligationStore;
import org.civharm.notification.web.Responses.ObligationResponse;
import org.civharm.notification.web.Responses.PageResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What is awaited from whom, by when. */
@RestController
@RequestMapping(path = "/obligations", produces = "application/json")
@Tag(name = "Obligations", description = "Responses awaited, with their due dates: pending, overdue, met, cancelled")
public class ObligationController {

    private final ObligationStore store;

    public ObligationController(ObligationStore store) {
        this.store = store;
    }

    @GetMapping
    @Operation(summary = "List obligations, earliest due first", description = "Filter by state, case id and policy name")
    public PageResponse<ObligationResponse> list(@RequestParam(required = false) ObligationState state,
                                                 @Parameter(description = "case id") @RequestParam(name = "case", required = false) String caseId,
                                                 @Parameter(description = "policy name, e.g. assessment-due") @RequestParam(required = false) String policy,
                                                 @RequestParam(defaultValue = "0") int page,
                                                 @RequestParam(defaultValue = "50") int size) {
        Problems problems = new Problems();
        String checkedCase = Checks.caseId(caseId, problems);
        PolicyKind kind = null;
        if (policy != null && !policy.isBlank()) {
            kind = PolicyKind.ofWireName(policy.strip()).orElse(null);
            if (kind == null) {
                problems.add("policy", "must be one of " + PolicyKind.wireNames());
            }
        }
        problems.page(page, size);
        problems.throwIfAny();
        return PageResponse.of(store.search(state, checkedCase, kind, page, size), ObligationResponse::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One obligation")
    public ObligationResponse get(@PathVariable String id) {
        Checks.id("id", id);
        return ObligationResponse.of(store.find(id).orElseThrow(() -> new NotFoundException("obligation", id)));
    }
}
