package org.civharm.notification.service;

import org.bson.Document;

import java.util.List;

/**
 * A view that can be rebuilt from its source into a new collection while readers keep the old one, then switched to
 * when caught up ({@code POST /admin/projections/{name}/rebuild}).
 */
public interface RebuildableProjection {

    String name();

    ProjectionStatus describe();

    /**
     * Starts a rebuild in the background.
     *
     * @throws IllegalStateException if a rebuild (of this projection or another) runs
     */
    RebuildProgress start();

    /** Every document of one of the view's collections, by id (to compare a rebuilt view with the one it replaced). */
    List<Document> contents(String collection);
}
