package io.safegrid.config.yaml;

import io.safegrid.config.Gb28181Config;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code gb28181:}, the GB/T 28181 SIP server and the devices allowed to register to it. */
final class Gb28181Section {
    static final Pattern ID20 = Pattern.compile("\\d{20}");
    private static final Pattern DOMAIN = Pattern.compile("\\d{10}");

    private Gb28181Section() {
    }

    /** @param bindAddress the node's {@code bind-address}: where SIP listens unless {@code address} says otherwise */
    static Gb28181Config read(Doc doc, Node yaml, Refs refs, String bindAddress, List<Camera> cameras) {
        Gb28181Config d = Gb28181Config.none();
        MapReader m = doc.map(yaml, "gb28181", "server-id", "domain", "address", "listen-port", "keepalive-interval",
                "keepalive-missed", "auth-failures", "auth-window", "devices", "upper");
        if (!m.present()) {
            return d;
        }
        String serverId = id20(doc, m, "server-id", d.serverId());
        String domain = m.string("domain", serverId == null ? d.domain() : serverId.substring(0, 10));
        if (!DOMAIN.matcher(domain).matches()) {
            doc.error(m.at("domain"), m.path("domain"), "expected 10 digits (the first 10 of the server id), got '" + domain + "'");
        }
        String address = m.string("address", bindAddress == null ? d.address() : bindAddress);
        int port = m.integer("listen-port", 5060, -1, 65535);
        Duration keepalive = interval(doc, m, d.keepaliveInterval());
        int missed = m.integer("keepalive-missed", d.keepaliveMissed(), 1, 100);
        int failures = m.integer("auth-failures", d.authFailures(), 1, 1000);
        Duration window = m.duration("auth-window", d.authWindow());
        List<Gb28181Config.Device> devices = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (serverId != null) {
            ids.add(serverId);
        }
        List<Node> items = m.list("devices");
        for (int i = 0; i < items.size(); i++) {
            MapReader dm = new MapReader(doc, items.get(i), m.path("devices") + "[" + i + "]",
                    List.of("id", "name", "password", "grid", "keepalive-interval", "channels"));
            Gb28181Config.Device device = device(doc, dm, refs, ids, cameras);
            if (device != null) {
                devices.add(device);
            }
        }
        List<Gb28181Config.Upper> uppers = new ArrayList<>();
        List<Node> ups = m.list("upper");
        for (int i = 0; i < ups.size(); i++) {
            Gb28181Config.Upper u = upper(doc, new MapReader(doc, ups.get(i), m.path("upper") + "[" + i + "]",
                    List.of("id", "domain", "host", "port", "transport", "password", "expires", "keepalive-interval",
                            "retry-min", "retry-max", "share", "alarms", "share-cameras")), cameras);
            if (u != null) {
                uppers.add(u);
            }
        }
        return new Gb28181Config(serverId == null ? d.serverId() : serverId, domain, address, port, keepalive, missed,
                failures, window == null ? d.authWindow() : window, devices, uppers);
    }

    private static Gb28181Config.Upper upper(Doc doc, MapReader um, List<Camera> cameras) {
        String id = id20(doc, um, "id", null);
        if (id == null && !um.has("id")) {
            um.missing("id");
        }
        String domain = um.string("domain", id == null ? null : id.substring(0, 10));
        if (domain != null && !DOMAIN.matcher(domain).matches()) {
            doc.error(um.at("domain"), um.path("domain"), "expected 10 digits, got '" + domain + "'");
        }
        String host = um.required("host");
        int port = um.integer("port", 5060, 1, 65535);
        String transport = um.string("transport", "UDP").toUpperCase(java.util.Locale.ROOT);
        if (!transport.equals("UDP") && !transport.equals("TCP")) {
            doc.error(um.at("transport"), um.path("transport"), "expected UDP or TCP, got '" + transport + "'");
        }
        String password = um.required("password");
        Duration expires = um.duration("expires", Duration.ofHours(1));
        Duration keepalive = interval(doc, um, Gb28181Config.DEFAULT_KEEPALIVE);
        Duration retryMin = um.duration("retry-min", Duration.ofSeconds(1));
        Duration retryMax = um.duration("retry-max", Duration.ofMinutes(5));
        List<String> share = new ArrayList<>();
        for (String ch : um.strings("share")) {
            if (!ID20.matcher(ch).matches()) {
                doc.error(um.at("share"), um.path("share"), "a GB/T 28181 channel id has 20 digits, got '" + ch + "'");
            } else {
                share.add(ch);
            }
        }
        java.util.Map<String, String> shareCameras = new java.util.LinkedHashMap<>();
        List<Node> sc = um.list("share-cameras");
        for (int i = 0; i < sc.size(); i++) {
            MapReader cm = new MapReader(doc, sc.get(i), um.path("share-cameras") + "[" + i + "]", List.of("id", "camera"));
            String ch = id20(doc, cm, "id", null);
            if (!cm.has("id")) {
                cm.missing("id");
            }
            String camera = cm.required("camera");
            Camera cam = cameras.stream().filter(c -> c.id().equals(camera)).findFirst().orElse(null);
            if (camera != null && (cam == null || cam.source().mode() != CameraSource.Mode.PULL)) {
                // a pushed camera's stream belongs to its push connection; only a pulled one can be opened again
                doc.error(cm.at("camera"), cm.path("camera"), "expected a camera of cameras: with source mode pull, got '"
                        + camera + "'");
            } else if (ch != null && camera != null && (share.contains(ch) || shareCameras.put(ch, camera) != null)) {
                doc.error(cm.at("id"), cm.path("id"), "channel id '" + ch + "' is shared twice");
            }
        }
        if (id == null || host == null || password == null || domain == null) {
            return null;
        }
        return new Gb28181Config.Upper(id, domain, host, port, transport, password, expires, keepalive, retryMin, retryMax,
                share, um.bool("alarms", true), shareCameras);
    }

    private static Gb28181Config.Device device(Doc doc, MapReader dm, Refs refs, Set<String> ids, List<Camera> cameras) {
        String id = id20(doc, dm, "id", null);
        if (id == null && !dm.has("id")) {
            dm.missing("id");
        }
        unique(doc, dm, "id", id, ids);
        String password = dm.required("password");
        GridPath grid = refs.gridPath(doc, dm.at("grid"), dm.path("grid"), dm.required("grid"));
        Duration keepalive = dm.has("keepalive-interval") ? interval(doc, dm, null) : null;
        List<Gb28181Config.Channel> channels = new ArrayList<>();
        List<Node> items = dm.list("channels");
        for (int i = 0; i < items.size(); i++) {
            MapReader cm = new MapReader(doc, items.get(i), dm.path("channels") + "[" + i + "]", List.of("id", "name", "grid", "camera", "on-demand"));
            String cid = id20(doc, cm, "id", null);
            if (cid == null && !cm.has("id")) {
                cm.missing("id");
            }
            unique(doc, cm, "id", cid, ids);
            GridPath cgrid = cm.has("grid") ? refs.gridPath(doc, cm.at("grid"), cm.path("grid"), cm.string("grid")) : grid;
            String camera = cm.string("camera");
            if (camera != null && cameras.stream().noneMatch(c -> c.id().equals(camera) && c.source() != null
                    && c.source().mode() == CameraSource.Mode.PUSH)) {
                doc.error(cm.at("camera"), cm.path("camera"), "no push camera '" + camera + "' in cameras: (a channel's"
                        + " video is relayed to a camera with source: {mode: push})");
            }
            if (cid != null && cgrid != null) {
                boolean onDemand = cm.bool("on-demand", false);
                if (onDemand && camera == null) {
                    doc.error(cm.at("on-demand"), cm.path("on-demand"), "on-demand needs a camera: it is that camera's video"
                            + " that is fetched while someone watches");
                }
                channels.add(new Gb28181Config.Channel(cid, cm.string("name", cid), cgrid, camera, onDemand));
            }
        }
        if (id == null || password == null || grid == null) {
            return null;
        }
        return new Gb28181Config.Device(id, dm.string("name", id), password, grid, keepalive, channels);
    }

    private static String id20(Doc doc, MapReader m, String key, String def) {
        String s = m.string(key);
        if (s == null) {
            return def;
        }
        if (!ID20.matcher(s).matches()) {
            doc.error(m.at(key), m.path(key), "a GB/T 28181 id has 20 digits, got '" + s + "'");
            return null;
        }
        return s;
    }

    private static void unique(Doc doc, MapReader m, String key, String id, Set<String> ids) {
        if (id != null && !ids.add(id)) {
            doc.error(m.at(key), m.path(key), "duplicate GB/T 28181 id '" + id + "'");
        }
    }

    private static Duration interval(Doc doc, MapReader m, Duration def) {
        Duration t = m.duration("keepalive-interval", def);
        if (t != null && (t.toSeconds() < 1 || t.toHours() > 1)) {
            doc.error(m.at("keepalive-interval"), m.path("keepalive-interval"), "must be between 1s and 1h");
            return def;
        }
        return t;
    }
}
