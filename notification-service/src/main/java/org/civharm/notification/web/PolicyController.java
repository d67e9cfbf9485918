package org.civharm.notification.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.notification.domain.PolicySettings;
import org.civharm.notification.service.ObligationService;
import org.civharm.notification.service.PolicyService;
import org.civharm.notification.web.Responses.PoliciesResponse;
import org.civharm.notification.web.Responses.Reevaluation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** The deadlines in force. */
@RestController
@RequestMapping(path = "/policies", produces = "application/json")
@Tag(name = "Policies", description = "Which deadlines are watched and how long each allows")
public class PolicyController {

    private final PolicyService policies;
    private final ObligationService obligations;

    public PolicyController(PolicyService policies, ObligationService obligations) {
        this.policies = policies;
        this.obligations = obligations;
    }

    @GetMapping
    @Operation(summary = "The policies in force, with what starts and meets each")
    public PoliciesResponse get() {
        return PoliciesResponse.of(policies.refresh(), null);
    }

    @PutMapping(consumes = "application/json")
    @Operation(summary = "Change policies",
            description = "Body: policy name → settings, e.g. {\"assessment-due\": {\"enabled\": true, \"days\": 45}}. "
                    + "Named policies change (fields left out keep their value); others stay as they are. The whole "
                    + "change is validated first: a bad field is a 400 naming it and nothing changes. An accepted "
                    + "change is stored (it survives restarts) and re-evaluates every case's obligations at once: "
                    + "pending ones take the new due date (and turn overdue if it has passed), a disabled policy's "
                    + "open obligations are cancelled (with their alerts), an enabled one's are created. An obligation "
                    + "already overdue keeps its date and its alert.")
    public PoliciesResponse put(@RequestBody Map<String, PolicySettings> body) {
        String who = Checks.actor();
        ObligationService.PolicyChangeResult result = obligations.changePolicies(body, who);
        if (!result.change().accepted()) {
            throw new InvalidRequestException(result.change().problems().stream()
                    .map(p -> new InvalidRequestException.FieldProblem(p.field(), p.message())).toList());
        }
        ObligationService.Reconciliation r = result.reconciliation();
        return PoliciesResponse.of(result.change().result(), new Reevaluation(r.cases(), r.created(), r.changed()));
    }
}
