package org.civharm.accountability.views;

import java.util.List;
import org.bson.Document;

/**
 * A view that can be rebuilt from its source log into a new collection while readers keep the old one, then switched
 * to when caught up ({@code POST /admin/projections/{name}/rebuild}).
 */
public interface RebuildableProjection {

    String name();

    ProjectionStatus describe();

    /**
     * Starts a rebuild in the background.
     *
     * @throws IllegalStateException if a rebuild of this projection (or of another fed by the same listener) runs
     */
    RebuildProgress start();

    /** Every document of one of the view's collections, by id (to compare a rebuilt view with the one it replaced). */
    List<Document> contents(String collection);
}
