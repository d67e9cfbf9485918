package org.civharm.notification.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.civharm.notification.config.AlertProperties;
import org.civharm.notification.domain.AlertState;
import org.civharm.notification.service.AlertService;
import org.civharm.notification.service.NotFoundException;
import org.civharm.notification.store.AlertStore;
import org.civharm.notification.web.Requests.AcknowledgementRequest;
import org.civharm.notification.web.Responses.AlertResponse;
import org.civharm.notification.web.Responses.PageResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Alerts on overdue obligations: list, read, acknowledge. */
@RestController
@RequestMapping(path = "/alerts", produces = "application/json")
@Tag(name = "Alerts", description = "One alert per overdue obligation: open, acknowledged, escalated, resolved, cancelled")
public class AlertController {

    private final AlertService alerts;
    private final AlertStore store;
    private final AlertProperties properties;

    public AlertController(AlertService alerts, AlertStore store, AlertProperties properties) {
        this.alerts = alerts;
        this.store = store;
        this.properties = properties;
    }

    @GetMapping
    @Operation(summary = "List alerts, newest raised first", description = "Filter by state and case id")
    public PageResponse<AlertResponse> list(@RequestParam(required = false) AlertState state,
                                            @Parameter(description = "case id") @RequestParam(name = "case", required = false) String caseId,
                                            @RequestParam(defaultValue = "0") int page,
                                            @RequestParam(defaultValue = "20") int size) {
        Problems problems = new Problems();
        String checkedCase = Checks.caseId(caseId, problems);
        problems.page(page, size);
        problems.throwIfAny();
        return PageResponse.of(store.search(state, checkedCase, page, size),
                a -> AlertResponse.of(a, properties.escalateAfter()));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One alert with its full history (who changed it, when, why)")
    public AlertResponse get(@PathVariable String id) {
        Checks.id("id", id);
        return AlertResponse.of(alerts.find(id).orElseThrow(() -> new NotFoundException("alert", id)),
                properties.escalateAfter());
    }

    @PostMapping(path = "/{id}/acknowledgements", consumes = "application/json")
    @Operation(summary = "Acknowledge an open or escalated alert, with a comment",
            description = "The caseworker is the token's subject. 409 when the alert is already acknowledged, resolved or "
                    + "cancelled. An acknowledged alert is not escalated; it resolves when the awaited event arrives.")
    public AlertResponse acknowledge(@PathVariable String id,
                                     @Valid @RequestBody AcknowledgementRequest body) {
        String who = Checks.actor();
        Checks.id("id", id);
        return AlertResponse.of(alerts.acknowledge(id, who, body.comment().strip()), properties.escalateAfter());
    }
}
