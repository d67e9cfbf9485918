package org.civharm.accountability.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.accountability.views.ProjectionStatus;
import org.civharm.accountability.views.RebuildProgress;
import org.civharm.accountability.views.RebuildableProjection;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.net.URI;
import java.util.Comparator;
import java.util.List;

/**
 * Operating the projections: where each stands, and rebuilding one from its source log while readers carry on.
 * {@code accountability-views} (the record view) from the event store; {@code incident-cases} and {@code timeline}
 * from the Kafka topics from offset 0.
 */
@RestController
@RequestMapping(path = "/admin/projections", produces = "application/json")
@Tag(name = "Admin", description = "Projection positions, lag and rebuilds")
public class ProjectionAdminController {

    private final List<RebuildableProjection> projections;

    public ProjectionAdminController(List<RebuildableProjection> projections) {
        this.projections = projections.stream().sorted(Comparator.comparing(RebuildableProjection::name)).toList();
    }

    @GetMapping
    @Operation(summary = "Each projection: live collection, source, position, lag, and the running or last rebuild "
            + "(phase, done/total, rate, ETA)")
    public List<ProjectionStatus> projections() {
        return projections.stream().map(RebuildableProjection::describe).toList();
    }

    @PostMapping("/{name}/rebuild")
    @Operation(summary = "Rebuild a projection from its source log into a new collection; readers keep the old one "
            + "until the switch. 202 with the progress; 404 for an unknown name; 409 while a rebuild runs")
    public ResponseEntity<RebuildProgress> rebuild(@PathVariable String name) {
        RebuildableProjection projection = projections.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no projection named '" + name
                        + "'; projections: " + projections.stream().map(RebuildableProjection::name).toList()));
        try {
            return ResponseEntity.accepted().location(URI.create("/admin/projections")).body(projection.start());
        } catch (IllegalStateException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }
}
