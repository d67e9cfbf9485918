package org.civharm.notification.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.notification.domain.RefusedTransitionException;
import org.civharm.notification.service.NotFoundException;
import org.civharm.notification.service.ProjectionStatus;
import org.civharm.notification.service.RebuildProgress;
import org.civharm.notification.service.RebuildableProjection;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Comparator;
import java.util.List;

/**
 * Operating the projections: where each stands, and rebuilding one from its source while readers carry on.
 * {@code case-facts} from the Kafka topics from offset 0; {@code obligations} from the case facts and the policies.
 * Alerts, deliveries, policies and dead letters are not projections (see {@code ObligationsRebuild}).
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
    @Operation(summary = "Rebuild a projection into a new collection; readers keep the old one until the switch",
            description = "202 with the progress; 404 for an unknown name; 409 while a rebuild runs. Nothing is "
                    + "notified again: alerts and deliveries are not rebuilt.")
    public ResponseEntity<RebuildProgress> rebuild(@PathVariable String name) {
        RebuildableProjection projection = projections.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("projection (there are "
                        + projections.stream().map(RebuildableProjection::name).toList() + ") named", abbreviate(name)));
        try {
            return ResponseEntity.accepted().location(URI.create("/admin/projections")).body(projection.start());
        } catch (IllegalStateException e) {
            throw new RefusedTransitionException(e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
