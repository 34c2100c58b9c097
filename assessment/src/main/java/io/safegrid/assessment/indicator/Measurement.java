package io.safegrid.assessment.indicator;

import io.safegrid.config.Deployment;
import io.safegrid.model.Level;
import io.safegrid.model.archive.ArchiveItem;
import io.safegrid.model.assessment.Accident;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Counts, in one pass over each source, what every unit of a scope did in {@code [from, to)}. A fact
 * is routed to every unit it belongs to: the grid nodes above its site, and the industry departments
 * responsible for its enterprise (the vertical line). Routes are cached per site, so a month of a
 * county's alarms costs one hash lookup each.
 */
public final class Measurement {
    private static final Set<String> OFFLINE_KINDS = Set.of(FindingKind.DEVICE_OFFLINE.name(), FindingKind.VIDEO_LOSS.name());

    private final Deployment deployment;
    private final Grid grid;
    private final GridPath scanRoot;
    private final Map<GridPath, Tally> tallies = new LinkedHashMap<>();
    private final Map<GridPath, List<Tally>> routes = new HashMap<>();
    private final Instant from;
    private final Instant to;

    /**
     * @param scope the subtree measured: a department scope measures the enterprises it is responsible for, anywhere
     * @param units the units to count for, each within the scope (or a department)
     */
    public Measurement(Deployment deployment, GridPath scope, List<Unit> units, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a period ends after it starts");
        }
        this.deployment = deployment;
        this.grid = deployment.grid();
        this.from = from;
        this.to = to;
        boolean department = grid.node(scope).map(n -> n.kind() == GridKind.DEPARTMENT).orElse(false);
        this.scanRoot = department ? scope.selfAndAncestors().get(scope.depth() - 1) : scope;
        for (Unit u : units) {
            tallies.put(u.path(), new Tally(u));
        }
    }

    /** The units worth scoring in a scope: the scope, its townships, departments and villages. */
    public static List<Unit> unitsOf(Grid grid, GridPath scope) {
        List<Unit> out = new ArrayList<>();
        GridNode self = grid.node(scope).orElseThrow(() -> new IllegalArgumentException("no such grid node: " + scope));
        out.add(unit(self));
        for (GridNode n : grid.subtree(scope)) {
            if (!n.path().equals(scope) && ranked(n.kind())) {
                out.add(unit(n));
            }
        }
        return out;
    }

    /** Townships, departments and villages are ranked; the scope itself and a report's enterprise rows are not. */
    public static boolean ranked(GridKind kind) {
        return kind == GridKind.TOWNSHIP || kind == GridKind.DEPARTMENT || kind == GridKind.VILLAGE;
    }

    public static Unit unit(GridNode n) {
        return new Unit(n.path(), n.name(), n.kind());
    }

    public Map<GridPath, Tally> tallies() { return tallies; }

    public Instant from() { return from; }

    public Instant to() { return to; }

    /** Runs every source that is there; {@code progress} goes from 0 to {@code share}. */
    public Measurement run(Sources s, ZoneId zone, Progress progress, double share) {
        countDevicesAndEnterprises();
        if (s.alarms() != null) {
            alarms(s, progress, share * 0.8);
        }
        progress.at(share * 0.8, "hazards");
        if (s.hazards() != null) {
            s.hazards().scan(scanRoot, from, to, h -> {
                for (Tally t : route(h.site())) {
                    t.hazard(h, from, to);
                }
            });
        }
        progress.at(share * 0.9, "inspections");
        if (s.inspections() != null) {
            for (Tally t : tallies.values()) {
                t.inspections = s.inspections().completion(t.unit.path(), from, to);
            }
        }
        if (s.archive() != null) {
            certificates(s, zone);
        }
        if (s.accidents() != null) {
            Set<String> vetoing = new HashSet<>();
            for (String v : deployment.assessment().vetoSeverities()) {
                vetoing.add(v.toUpperCase(Locale.ROOT));
            }
            for (Accident a : s.accidents().within(scanRoot, from, to)) {
                if (vetoing.contains(a.severity().name())) {
                    each(a.site(), t -> t.vetoes.add(a.id()));
                }
            }
        }
        progress.at(share, "scores");
        return this;
    }

    private void alarms(Sources s, Progress progress, double share) {
        // the count is a scan of its own: only worth it when someone watches the progress
        long total = progress == Progress.NONE ? 1 : Math.max(1, s.alarms().count(scanRoot, from, to));
        Map<Level, Duration> timeouts = new HashMap<>();
        for (Level l : Level.values()) {
            timeouts.put(l, deployment.escalation().ackTimeout().getOrDefault(l, Duration.ofMinutes(15)));
        }
        long step = Math.max(1, total / 50);
        long[] seen = {0};
        progress.at(0, "alarms");
        s.alarms().scan(scanRoot, from, to, f -> {
            if (f.site() != null) {
                boolean offline = OFFLINE_KINDS.contains(f.kind());
                Duration timeout = timeouts.get(f.level());
                for (Tally t : route(f.site())) {
                    t.alarm(f, timeout, offline);
                }
            }
            if (++seen[0] % step == 0 && progress != Progress.NONE) {
                progress.at(share * Math.min(1.0, (double) seen[0] / total), "alarms");
            }
        });
    }

    private void countDevicesAndEnterprises() {
        for (Sensor sensor : deployment.sensors()) {
            each(sensor.site(), t -> t.devices++);
        }
        for (Camera camera : deployment.cameras()) {
            each(camera.site(), t -> t.devices++);
        }
        for (GridNode n : grid.subtree(scanRoot)) {
            if (n.kind() == GridKind.ENTERPRISE) {
                each(n.path(), t -> t.enterprises++);
            }
        }
    }

    /** An archive entry still expired at the period's end (not renewed) counts against its enterprise. */
    private void certificates(Sources s, ZoneId zone) {
        LocalDate end = to.atZone(zone).toLocalDate();
        for (Tally t : tallies.values()) {
            t.ignoringEnterprises = new HashSet<>();
        }
        for (ArchiveItem item : s.archive().expiring(scanRoot, end.minusDays(1))) {
            GridPath enterprise = grid.enterpriseOf(item.site()).map(GridNode::path).orElse(item.site());
            each(item.site(), t -> {
                t.ignoringEnterprises.add(enterprise.toString());
                t.ignoredCertificates.add(item.id());
            });
        }
    }

    private void each(GridPath site, Consumer<Tally> c) {
        if (site != null) {
            for (Tally t : route(site)) {
                c.accept(t);
            }
        }
    }

    /** The tallies a site counts in; computed once per site. */
    List<Tally> route(GridPath site) {
        return routes.computeIfAbsent(site, p -> {
            List<Tally> out = new ArrayList<>(4);
            for (GridPath a : p.selfAndAncestors()) {
                Tally t = tallies.get(a);
                if (t != null) {
                    out.add(t);
                }
            }
            grid.enterpriseOf(p).map(GridNode::enterprise).ifPresent(e -> {
                for (GridPath d : e.departments()) {
                    Tally t = tallies.get(d);
                    if (t != null && !out.contains(t)) {
                        out.add(t);
                    }
                }
            });
            return out;
        });
    }
}
