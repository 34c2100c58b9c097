package io.safegrid.alerting.escalation;

import io.safegrid.config.EscalationPolicy;
import io.safegrid.model.Level;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The rungs an alarm climbs from where it was raised: the enterprise (and the site in it), the
 * village, the township, the enterprise's industry departments, the county. Rungs with no node
 * in the grid are left out. A level first tells every rung up to the highest kind its policy
 * names (the enterprise always); each unanswered {@code ackTimeout} climbs one more rung.
 */
public final class EscalationLadder {

    /** One step of the ladder and the grid nodes told at it. */
    public record Rung(GridKind kind, List<GridPath> nodes) {
        public Rung {
            nodes = List.copyOf(nodes);
        }
    }

    private static final List<GridKind> ORDER = List.of(GridKind.ENTERPRISE, GridKind.VILLAGE, GridKind.TOWNSHIP,
            GridKind.DEPARTMENT, GridKind.COUNTY);

    private final List<Rung> rungs;

    private EscalationLadder(List<Rung> rungs) {
        this.rungs = List.copyOf(rungs);
    }

    public static EscalationLadder of(Grid grid, GridPath site) {
        List<GridNode> chain = site == null ? List.of() : grid.chain(site);
        List<Rung> out = new ArrayList<>();
        for (GridKind kind : ORDER) {
            List<GridPath> nodes = new ArrayList<>();
            if (kind == GridKind.DEPARTMENT) {
                for (GridNode n : chain) {
                    if (n.enterprise() != null) {
                        n.enterprise().departments().stream().filter(d -> !nodes.contains(d)).forEach(nodes::add);
                    }
                }
            } else {
                for (GridNode n : chain) {
                    boolean match = n.kind() == kind || (kind == GridKind.ENTERPRISE && n.kind() == GridKind.SITE);
                    if (match) {
                        nodes.add(n.path());
                    }
                }
            }
            if (!nodes.isEmpty()) {
                out.add(new Rung(kind, nodes));
            }
        }
        return new EscalationLadder(out);
    }

    public List<Rung> rungs() { return rungs; }

    /** The highest rung told at once for this level, or -1 for an empty ladder. */
    public int initialReach(EscalationPolicy policy, Level level) {
        Set<GridKind> kinds = EnumSet.of(GridKind.ENTERPRISE);
        kinds.addAll(policy.notifyFirst().getOrDefault(level, Set.of()));
        int reach = -1;
        for (int i = 0; i < rungs.size(); i++) {
            if (kinds.contains(rungs.get(i).kind()) || (i == 0 && !rungs.isEmpty())) {
                reach = i;
            }
        }
        return reach;
    }

    public boolean isTop(int rung) {
        return rung >= rungs.size() - 1;
    }

    public static Duration ackTimeout(EscalationPolicy policy, Level level) {
        return policy.ackTimeout().getOrDefault(level, Duration.ofMinutes(15));
    }
}
