package org.civharm.notification.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.notification.domain.DeliveryState;
import org.civharm.notification.service.DeliveryService;
import org.civharm.notification.web.Responses.DeliveryResponse;
import org.civharm.notification.web.Responses.PageResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The outbox: what was sent where, what failed, and retrying dead letters. */
@RestController
@RequestMapping(path = "/deliveries", produces = "application/json")
@Tag(name = "Deliveries", description = "One delivery per alert transition and channel; dead letters and retries")
public class DeliveryController {

    private final DeliveryService deliveries;
    private final ObjectMapper json;

    public DeliveryController(DeliveryService deliveries, ObjectMapper json) {
        this.deliveries = deliveries;
        this.json = json;
    }

    @GetMapping
    @Operation(summary = "List deliveries", description = "Filter by state and alert id")
    public PageResponse<DeliveryResponse> list(@RequestParam(required = false) DeliveryState state,
                                               @RequestParam(required = false) String alertId,
                                               @RequestParam(defaultValue = "0") int page,
                                               @RequestParam(defaultValue = "50") int size) {
        Problems problems = new Problems();
        if (alertId != null && !alertId.matches(Checks.ID_PATTERN)) {
            problems.add("alertId", "must be an alert id");
        }
        problems.page(page, size);
        problems.throwIfAny();
        return PageResponse.of(deliveries.search(state, alertId, page, size), d -> DeliveryResponse.of(d, json));
    }

    @GetMapping("/dead-letters")
    @Operation(summary = "Deliveries that failed every attempt", description = "Retry one with POST /deliveries/{id}/retries")
    public PageResponse<DeliveryResponse> deadLetters(@RequestParam(defaultValue = "0") int page,
                                                      @RequestParam(defaultValue = "50") int size) {
        Problems problems = new Problems();
        problems.page(page, size);
        problems.throwIfAny();
        return PageResponse.of(deliveries.search(DeliveryState.DEAD, null, page, size), d -> DeliveryResponse.of(d, json));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One delivery")
    public DeliveryResponse get(@PathVariable String id) {
        Checks.id("id", id);
        return DeliveryResponse.of(deliveries.find(id), json);
    }

    @PostMapping("/{id}/retries")
    @Operation(summary = "Queue a dead-lettered delivery again",
            description = "202: it is sent again (same delivery id and payload) with a fresh set of attempts. 409 when "
                    + "it is not dead-lettered.")
    public ResponseEntity<DeliveryResponse> retry(@PathVariable String id) {
        String who = Checks.actor();
        Checks.id("id", id);
        return ResponseEntity.accepted().body(DeliveryResponse.of(deliveries.retry(id, who), json));
    }
}
