package io.safegrid.console.stats;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.console.device.DeviceRoutes;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Scope;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Supervision statistics for the caller's scope: alarms per township per day, time to
 * acknowledge, overdue alarms per grid node (unacknowledged past their level's ack timeout), and
 * devices offline. Computed on request from the desk; bounded so a big county stays responsive.
 */
public final class StatsRoutes {
    static final int MAX_ALARMS = 50_000;
    static final int MAX_ACK_SAMPLES = 1_000;

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final Supplier<AlarmDesk> desk;
    private final DeviceRoutes devices;
    private final Clock clock;
    private final ZoneId zone;

    public StatsRoutes(Auth auth, Api api, ConfigSource config, Supplier<AlarmDesk> desk, DeviceRoutes devices,
                       Clock clock, ZoneId zone) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.desk = desk;
        this.devices = devices;
        this.clock = clock;
        this.zone = zone;
    }

    public void routes(Router router) {
        router.get("/api/v1/stats", auth.guard(this::stats));
    }

    private Response stats(Request r, Principal u) throws Exception {
        AlarmDesk d = desk.get();
        if (d == null) {
            throw new HttpError(503, "no alarm service on this node");
        }
        GridPath scope = Scope.narrow(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
        Instant now = clock.instant();
        Instant toParam = Api.instant(r.param("to"), "to");
        Instant to = toParam == null ? now : toParam;
        Instant from = Api.instant(r.param("from"), "from");
        from = from == null ? to.minus(Duration.ofDays(7)) : from;
        Deployment dep = config.current();

        Map<String, Map<String, Long>> perDay = new TreeMap<>();
        Map<String, Map<String, Long>> levelPerDay = new TreeMap<>();
        Map<String, Map<String, Long>> kindPerDay = new TreeMap<>();
        List<Alarm> acked = new ArrayList<>();
        boolean[] truncated = {false};
        // no "to" given: up to now inclusive (an alarm raised this millisecond counts)
        each(d, new AlarmQuery(scope, null, null, from, toParam, 0, AlarmQuery.MAX_LIMIT), truncated, a -> {
            String town = township(dep, a.site());
            perDay.computeIfAbsent(town, t -> new TreeMap<>())
                    .merge(LocalDate.ofInstant(a.raisedAt(), zone).toString(), 1L, Long::sum);
            String day = LocalDate.ofInstant(a.raisedAt(), zone).toString();
            levelPerDay.computeIfAbsent(a.level().name(), t -> new TreeMap<>()).merge(day, 1L, Long::sum);
            kindPerDay.computeIfAbsent(a.kind().name(), t -> new TreeMap<>()).merge(day, 1L, Long::sum);
            if (a.acknowledged() && acked.size() < MAX_ACK_SAMPLES) {
                acked.add(a);
            }
        });

        List<Long> ackSeconds = new ArrayList<>();
        for (Alarm a : acked) {
            for (AlarmEvent e : d.timeline(a.id())) {
                if (e.type() == AlarmEvent.Type.ACKNOWLEDGED) {
                    ackSeconds.add(Math.max(0, Duration.between(a.raisedAt(), e.time()).toSeconds()));
                    break;
                }
            }
        }
        Collections.sort(ackSeconds);

        Map<String, Long> overdue = new TreeMap<>();
        Map<String, Long> overdueLevel = new TreeMap<>();
        long[] overdueTotal = {0};
        each(d, new AlarmQuery(scope, null, Set.of(AlarmState.RAISED), null, null, 0, AlarmQuery.MAX_LIMIT), truncated, a -> {
            Duration limit = dep.escalation().ackTimeout().get(a.level());
            if (!a.acknowledged() && limit != null && a.raisedAt().plus(limit).isBefore(now) && a.site() != null) {
                overdueTotal[0]++;
                overdueLevel.merge(a.level().name(), 1L, Long::sum);
                for (GridPath p : a.site().selfAndAncestors()) {
                    if (p.isWithin(scope)) {
                        overdue.merge(p.toString(), 1L, Long::sum);
                    }
                }
            }
        });

        List<Map<String, Object>> statuses = devices.statuses(dep, scope);
        List<Map<String, Object>> offline = statuses.stream()
                .filter(m -> "offline".equals(m.get("status")) || "never-seen".equals(m.get("status"))).toList();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scope", scope.toString());
        out.put("from", from);
        out.put("to", to);
        out.put("zone", zone.getId());
        out.put("alarmsPerTownshipPerDay", perDay);
        out.put("alarmsPerLevelPerDay", levelPerDay);
        out.put("alarmsPerKindPerDay", kindPerDay);
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("samples", ackSeconds.size());
        ack.put("medianSeconds", percentile(ackSeconds, 0.5));
        ack.put("p90Seconds", percentile(ackSeconds, 0.9));
        ack.put("histogram", histogram(ackSeconds));
        out.put("timeToAcknowledge", ack);
        out.put("overdueTotal", overdueTotal[0]);
        out.put("overduePerNode", overdue);
        out.put("overduePerLevel", overdueLevel);
        Map<String, Object> dev = new LinkedHashMap<>();
        dev.put("total", statuses.size());
        dev.put("offline", offline.stream().filter(m -> "offline".equals(m.get("status"))).count());
        dev.put("neverSeen", offline.stream().filter(m -> "never-seen".equals(m.get("status"))).count());
        dev.put("list", offline);
        out.put("devices", dev);
        out.put("truncated", truncated[0]);
        return api.ok(out);
    }

    private static void each(AlarmDesk d, AlarmQuery q, boolean[] truncated, Consumer<Alarm> f) {
        for (int offset = 0; ; offset += AlarmQuery.MAX_LIMIT) {
            if (offset >= MAX_ALARMS) {
                truncated[0] = true;
                return;
            }
            AlarmPage page = d.list(q.page(offset, AlarmQuery.MAX_LIMIT));
            page.items().forEach(f);
            if (page.items().size() < AlarmQuery.MAX_LIMIT) {
                return;
            }
        }
    }

    /** The township an alarm belongs to, or the top-level node under the county it hangs from. */
    static String township(Deployment d, GridPath site) {
        if (site == null) {
            return "(none)";
        }
        for (GridNode n : d.grid().chain(site)) {
            if (n.kind() == GridKind.TOWNSHIP) {
                return n.path().toString();
            }
        }
        List<GridPath> up = site.selfAndAncestors();
        return up.size() >= 2 ? up.get(up.size() - 2).toString() : site.toString();
    }

    /** Upper bounds (seconds) of the acknowledgement-time buckets: the minutes a duty officer thinks in. */
    static final long[] ACK_BUCKETS = {60, 300, 600, 1800, 3600, 7200, Long.MAX_VALUE};

    /** How many acknowledgements fell in each bucket: {@code [{upToSeconds, count}]}, the last unbounded (null). */
    static List<Map<String, Object>> histogram(List<Long> seconds) {
        long[] n = new long[ACK_BUCKETS.length];
        for (long v : seconds) {
            int i = 0;
            while (v > ACK_BUCKETS[i]) {
                i++;
            }
            n[i]++;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n.length; i++) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("upToSeconds", ACK_BUCKETS[i] == Long.MAX_VALUE ? null : ACK_BUCKETS[i]);
            b.put("count", n[i]);
            out.add(b);
        }
        return out;
    }

    /** Nearest-rank percentile; null without samples. */
    static Long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
