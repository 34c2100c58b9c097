package io.safegrid.console.session;

import io.safegrid.model.grid.GridPath;

/** The logged-in user as the API sees them: who, which role, and the grid subtree they work in. */
public record Principal(String name, String displayName, Role role, GridPath scope) {

    /** True when {@code site} lies in this user's subtree. Null sites (unplaced devices) only for admin. */
    public boolean sees(GridPath site) {
        return site == null ? role == Role.ADMIN : site.isWithin(scope);
    }
}
