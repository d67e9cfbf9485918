package org.civharm.incident.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.incident.views.AllegationSummaryRebuild;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.net.URI;
import java.util.List;

/** Operating the projections: where each stands, and rebuilding one from its source log while readers carry on. */
@RestController
@RequestMapping(path = "/admin/projections", produces = "application/json")
@Tag(name = "Admin", description = "Projection positions, lag and rebuilds")
public class ProjectionAdminController {

    private final AllegationSummaryRebuild summaries;

    public ProjectionAdminController(AllegationSummaryRebuild summaries) {
        this.summaries = summaries;
    }

    @GetMapping
    @Operation(summary = "Each projection: live collection, position, lag and the running or last rebuild (done/total, rate, ETA)")
    public List<AllegationSummaryRebuild.ProjectionStatus> projections() {
        return List.of(summaries.describe());
    }

    @PostMapping("/{name}/rebuild")
    @Operation(summary = "Rebuild a projection from its source log into a new collection; readers keep the old one until the switch")
    public ResponseEntity<AllegationSummaryRebuild.RebuildStatus> rebuild(@PathVariable String name) {
        if (!AllegationSummaryRebuild.VIEW.equals(name)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no projection named '" + name
                    + "'; projections: [" + AllegationSummaryRebuild.VIEW + "]");
        }
        try {
            return ResponseEntity.accepted().location(URI.create("/admin/projections")).body(summaries.start());
        } catch (IllegalStateException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }
}
