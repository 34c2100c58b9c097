package io.safegrid.console.device;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.RuleDef;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Scope;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.Device;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.history.SeriesHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Sensors and cameras of a grid subtree with live status, and a sensor's history when a store is plugged in. */
public final class DeviceRoutes {
    /** For devices whose class has no offline timeout. */
    static final Duration DEFAULT_OFFLINE_AFTER = Duration.ofMinutes(5);

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final DeviceView view;
    private final Supplier<SeriesHistory> history;
    private final Clock clock;

    public DeviceRoutes(Auth auth, Api api, ConfigSource config, DeviceView view, Supplier<SeriesHistory> history,
                        Clock clock) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.view = view;
        this.history = history;
        this.clock = clock;
    }

    public void routes(Router router) {
        router.get("/api/v1/devices", auth.guard(this::list));
        router.get("/api/v1/devices/{id}/history", auth.guard(this::history));
    }

    private Response list(Request r, Principal u) throws Exception {
        GridPath site = Scope.narrow(u, r.param("site") == null ? null : Api.path(r.param("site"), "site"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("site", site.toString());
        out.put("sensors", statuses(config.current(), site).stream().filter(m -> "sensor".equals(m.get("type"))).toList());
        out.put("cameras", statuses(config.current(), site).stream().filter(m -> "camera".equals(m.get("type"))).toList());
        // whether /history can answer here, so the page need not ask a node without a store
        out.put("history", history.get() != null);
        return api.ok(out);
    }

    /** Every configured device at or below {@code site}, with what we last heard from it. */
    public List<Map<String, Object>> statuses(Deployment d, GridPath site) {
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        List<Device> all = new ArrayList<>(d.sensors());
        all.addAll(d.cameras());
        for (Device dev : all) {
            if (dev.site() == null || !dev.site().isWithin(site)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", dev.id());
            m.put("name", dev.name());
            m.put("site", dev.site().toString());
            DeviceView.State s = view.state(dev.id()).orElse(null);
            if (dev instanceof Sensor sensor) {
                m.put("type", "sensor");
                m.put("metric", sensor.metric());
                m.put("unit", sensor.unit());
                m.put("deviceClass", sensor.deviceClass());
                DeviceView.Last last = s == null ? null : s.values().get(sensor.metric());
                m.put("value", last == null ? null : last.value());
                m.put("valueTime", last == null ? null : last.time());
                Duration after = offlineAfter(d, sensor.deviceClass());
                String status;
                if (s == null || s.lastSeen() == null) {
                    status = "never-seen";
                } else if (s.offline() || s.lastSeen().plus(after).isBefore(now)) {
                    status = "offline";
                } else {
                    status = "online";
                }
                m.put("status", status);
            } else if (dev instanceof Camera) {
                m.put("type", "camera");
                m.put("status", s == null ? "unknown" : s.offline() ? "offline" : "online");
                // a GB/T 28181 channel's picture: the page then asks the SIP side at which step a failed stream stopped
                m.put("gb28181", d.gb28181().devices().stream().flatMap(g -> g.channels().stream())
                        .anyMatch(c -> dev.id().equals(c.camera())));
            }
            m.put("lastSeen", s == null ? null : s.lastSeen());
            out.add(m);
        }
        return out;
    }

    private static Duration offlineAfter(Deployment d, String deviceClass) {
        DeviceClassDef c = deviceClass == null ? null : d.deviceClasses().get(deviceClass);
        return c == null || c.offlineAfter() == null ? DEFAULT_OFFLINE_AFTER : c.offlineAfter();
    }

    private Response history(Request r, Principal u) throws Exception {
        String id = r.param("id");
        Sensor sensor = config.current().sensor(id).filter(s -> u.sees(s.site()))
                .orElseThrow(() -> new HttpError(404, "no such sensor: " + id));
        SeriesHistory h = history.get();
        if (h == null) {
            throw new HttpError(503, "no history store on this node");
        }
        Instant to = Api.instant(r.param("to"), "to");
        to = to == null ? clock.instant() : to;
        Instant from = Api.instant(r.param("from"), "from");
        from = from == null ? to.minus(Duration.ofHours(6)) : from;
        if (!from.isBefore(to)) {
            throw new HttpError(400, "from must be before to");
        }
        String metric = r.param("metric") == null ? sensor.metric() : r.param("metric");
        int stepSeconds = Api.integer(r.param("step"), 0, 0, 86_400, "step");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deviceId", id);
        out.put("metric", metric);
        out.put("unit", sensor.unit());
        out.put("from", from);
        out.put("to", to);
        out.put("points", stepSeconds == 0 ? h.raw(id, metric, from, to, 5000)
                : h.downsampled(id, metric, from, to, Duration.ofSeconds(stepSeconds)));
        out.put("thresholds", thresholds(config.current(), sensor, metric));
        return api.ok(out);
    }

    /** The limits the sensor's threshold rules judge {@code metric} against, per level (drawn on its chart). */
    static List<Map<String, Object>> thresholds(Deployment d, Sensor sensor, String metric) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RuleDef r : d.rules()) {
            if (r.type() != RuleDef.Type.THRESHOLD || !metric.equals(sensor.metric())
                    || !r.appliesTo(sensor.metric(), sensor.deviceClass())) {
                continue;
            }
            r.above().forEach((level, v) -> out.add(Map.of("rule", r.id(), "level", level, "direction", "above", "value", v)));
            r.below().forEach((level, v) -> out.add(Map.of("rule", r.id(), "level", level, "direction", "below", "value", v)));
        }
        return out;
    }
}
