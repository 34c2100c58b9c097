package io.safegrid.supervision.plan;

import io.safegrid.config.ConfigSource;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.supervision.TargetRule;
import java.util.List;

/**
 * Which enterprises a unit may act on: those in its subtree, and for an industry department those it
 * is responsible for wherever they are (the vertical line), as the console's hazard pages see it.
 */
public final class Reach {
    private final ConfigSource config;

    public Reach(ConfigSource config) {
        this.config = config;
    }

    public Grid grid() { return config.current().grid(); }

    /** An enterprise (or site) node of the grid, else null. */
    public GridNode enterprise(GridPath site) {
        return site == null ? null : grid().node(site)
                .filter(n -> n.kind() == GridKind.ENTERPRISE || n.kind() == GridKind.SITE).orElse(null);
    }

    public boolean department(GridPath scope) {
        return grid().node(scope).map(n -> n.kind() == GridKind.DEPARTMENT).orElse(false);
    }

    public boolean reaches(Actor a, GridPath site) {
        return site.isWithin(a.scope()) || department(a.scope()) && departmentsOf(site).contains(a.scope());
    }

    public List<GridPath> departmentsOf(GridPath site) {
        return grid().enterpriseOf(site).map(GridNode::enterprise).map(EnterpriseProfile::departments).orElse(List.of());
    }

    /** The enterprises a rule names that the actor reaches: risk at or above the rule's, in its subtree. */
    public List<GridPath> resolve(Actor a, TargetRule rule) {
        return grid().subtree(rule.subtree()).stream()
                .filter(n -> n.kind() == GridKind.ENTERPRISE && n.enterprise() != null)
                .filter(n -> rule.minRisk() == null
                        || n.enterprise().risk() != null && n.enterprise().risk().compareTo(rule.minRisk()) >= 0)
                .map(GridNode::path).filter(p -> reaches(a, p)).sorted().toList();
    }
}
