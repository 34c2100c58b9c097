package io.safegrid.console.session;

import io.safegrid.console.http.HttpError;
import io.safegrid.model.grid.GridPath;

/** Turns a requested grid node into the subtree a user may actually query. */
public final class Scope {
    private Scope() {
    }

    /**
     * No node: the user's whole scope. A node inside the scope: that node. A node above the scope
     * (a township officer asking for the county): still only their scope. Anything else: 404.
     */
    public static GridPath narrow(Principal u, GridPath requested) {
        if (requested == null || u.scope().isWithin(requested)) {
            return u.scope();
        }
        if (requested.isWithin(u.scope())) {
            return requested;
        }
        throw new HttpError(404, "no such grid node in your scope: " + requested);
    }
}
