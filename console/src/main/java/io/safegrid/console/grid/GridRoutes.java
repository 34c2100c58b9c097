package io.safegrid.console.grid;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The grid tree below the caller's scope, each node with its count of active (raised or
 * acknowledged) alarms per colour, rolled up from everything beneath it.
 */
public final class GridRoutes {
    /** Enough for any county on a bad night; beyond it the roll-up says it is partial. */
    static final int MAX_ACTIVE = 20_000;

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final Supplier<AlarmDesk> desk;

    public GridRoutes(Auth auth, Api api, ConfigSource config, Supplier<AlarmDesk> desk) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.desk = desk;
    }

    public void routes(Router router) {
        router.get("/api/v1/grid", auth.guard((r, u) -> api.ok(tree(u))));
    }

    List<Map<String, Object>> tree(Principal u) {
        Deployment d = config.current();
        Map<GridPath, Map<Level, Integer>> roll = new HashMap<>();
        Map<GridPath, Map<Level, Integer>> unacked = new HashMap<>();
        rollUp(u.scope(), roll, unacked);
        List<Map<String, Object>> roots = new ArrayList<>();
        d.grid().node(u.scope()).ifPresent(n -> roots.add(node(d, n, roll, unacked)));
        return roots;
    }

    /**
     * Active alarm counts per colour at every node at or above each alarm's site, within
     * {@code scope}; {@code unacked} gets the same for those nobody has acknowledged yet.
     */
    public void rollUp(GridPath scope, Map<GridPath, Map<Level, Integer>> roll,
                       Map<GridPath, Map<Level, Integer>> unacked) {
        AlarmDesk dk = desk.get();
        if (dk == null) {
            return;
        }
        AlarmQuery q = new AlarmQuery(scope, null, Set.of(AlarmState.RAISED, AlarmState.ACKNOWLEDGED), null, null, 0,
                AlarmQuery.MAX_LIMIT);
        for (int offset = 0; offset < MAX_ACTIVE; offset += AlarmQuery.MAX_LIMIT) {
            AlarmPage page = dk.list(q.page(offset, AlarmQuery.MAX_LIMIT));
            for (Alarm a : page.items()) {
                if (a.site() == null) {
                    continue;
                }
                for (GridPath p : a.site().selfAndAncestors()) {
                    if (p.isWithin(scope)) {
                        roll.computeIfAbsent(p, x -> new EnumMap<>(Level.class)).merge(a.level(), 1, Integer::sum);
                        if (!a.acknowledged()) {
                            unacked.computeIfAbsent(p, x -> new EnumMap<>(Level.class)).merge(a.level(), 1, Integer::sum);
                        }
                    }
                }
            }
            if (page.items().size() < AlarmQuery.MAX_LIMIT) {
                break;
            }
        }
    }

    private static Map<String, Object> node(Deployment d, GridNode n, Map<GridPath, Map<Level, Integer>> roll,
                                            Map<GridPath, Map<Level, Integer>> unacked) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", n.path().toString());
        m.put("kind", n.kind().name().toLowerCase(Locale.ROOT));
        m.put("name", n.name());
        if (n.enterprise() != null) {
            m.put("industry", n.enterprise().industry());
            if (n.enterprise().location() != null) {
                m.put("lat", n.enterprise().location().lat());
                m.put("lon", n.enterprise().location().lon());
            }
            if (n.enterprise().risk() != null) {
                m.put("risk", n.enterprise().risk().name().toLowerCase(Locale.ROOT));
            }
        }
        Map<String, Integer> active = new LinkedHashMap<>();
        Map<String, Integer> waiting = new LinkedHashMap<>();
        for (Level l : new Level[] {Level.RED, Level.ORANGE, Level.YELLOW, Level.BLUE}) {
            active.put(l.colour(), roll.getOrDefault(n.path(), Map.of()).getOrDefault(l, 0));
            waiting.put(l.colour(), unacked.getOrDefault(n.path(), Map.of()).getOrDefault(l, 0));
        }
        m.put("active", active);
        m.put("unacknowledged", waiting);
        List<Map<String, Object>> kids = new ArrayList<>();
        for (GridNode c : d.grid().children(n.path())) {
            kids.add(node(d, c, roll, unacked));
        }
        if (!kids.isEmpty()) {
            m.put("children", kids);
        }
        return m;
    }
}
