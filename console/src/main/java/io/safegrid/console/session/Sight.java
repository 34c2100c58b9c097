package io.safegrid.console.session;

import io.safegrid.config.ConfigSource;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;

/**
 * What a user sees of the enterprises: their subtree, and for an industry department's user also the
 * enterprises the department is responsible for wherever they sit (the vertical line).
 */
public final class Sight {
    private final ConfigSource config;

    public Sight(ConfigSource config) {
        this.config = config;
    }

    public boolean department(Principal u) {
        return config.current().grid().node(u.scope()).map(n -> n.kind() == GridKind.DEPARTMENT).orElse(false);
    }

    public boolean sees(Principal u, GridPath site) {
        if (u.sees(site)) {
            return true;
        }
        return site != null && department(u) && config.current().grid().enterpriseOf(site).map(GridNode::enterprise)
                .map(EnterpriseProfile::departments).orElse(java.util.List.of()).contains(u.scope());
    }

    /** The subtree to query for this user's lists: the county for a department (then filtered by {@link #sees}). */
    public GridPath queryRoot(Principal u, GridPath requested) {
        if (department(u) && requested == null) {
            return GridPath.of(u.scope().segments().get(0));
        }
        return Scope.narrow(u, requested);
    }

    public static Actor actor(Principal u) {
        return new Actor(u.name(), u.scope(), u.role() != Role.ENTERPRISE_OPERATOR);
    }

    /** The enterprise (or site) a grid path lies in, if any. */
    public java.util.Optional<GridPath> enterprise(GridPath p) {
        return config.current().grid().enterpriseOf(p).map(GridNode::path);
    }

    public String name(GridPath p) {
        return p == null ? null : config.current().grid().node(p).map(GridNode::name).orElse(p.id());
    }
}
