package io.safegrid.config.yaml;

import io.safegrid.config.DeviceAccess;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code cameras:}: where the video comes from, how hard to look at it, and the zones drawn on it. */
final class CameraSection {
    static final Set<String> ANALYZERS = new LinkedHashSet<>(List.of("intrusion", "people", "fire", "tamper"));

    private final Doc doc;
    private final Refs refs;
    private final io.safegrid.config.VideoConfig video;
    final List<Camera> cameras = new ArrayList<>();

    CameraSection(Doc doc, Refs refs, io.safegrid.config.VideoConfig video) {
        this.doc = doc;
        this.refs = refs;
        this.video = video;
    }

    void read(List<Node> items, Ids deviceIds, Map<String, DeviceAccess> access) {
        for (int i = 0; i < items.size(); i++) {
            camera(items.get(i), "cameras[" + i + "]", deviceIds, access);
        }
    }

    private void camera(Node yaml, String path, Ids deviceIds, Map<String, DeviceAccess> access) {
        MapReader m = doc.map(yaml, path, "id", "name", "site", "secret", "source", "analysis", "zones");
        String id = m.required("id");
        boolean idOk = deviceIds.accept(id, m.at("id"), m.path("id"), Ids.DEVICE);
        String name = m.string("name", id);
        GridPath site = refs.gridPath(doc, m.at("site"), m.path("site"), m.required("site"));
        String secret = m.string("secret");
        if (secret != null && secret.length() < SensorSection.MIN_SECRET_LENGTH) {
            doc.error(m.at("secret"), m.path("secret"), "too short: use at least " + SensorSection.MIN_SECRET_LENGTH
                    + " characters");
            secret = null;
        }
        CameraSource source = source(m);
        if (source != null && source.mode() == CameraSource.Mode.SNAPSHOT && secret == null && !m.has("secret")) {
            doc.error(m.node(), m.path("secret"), "required for a snapshot camera: it is the upload token");
            source = null;
        } else if (source != null && source.mode() == CameraSource.Mode.PUSH && secret == null && !m.has("secret")) {
            // without one, anyone who can reach the push port could feed this camera's pictures
            doc.error(m.node(), m.path("secret"), "required for a push camera: it is the push token");
            source = null;
        }
        AnalysisSettings analysis = analysis(m);
        List<Zone> zones = zones(m);
        if (idOk && site != null && source != null && analysis != null && zones != null) {
            cameras.add(new Camera(id, name, site, source, analysis, zones));
            if (secret != null) {
                access.put(id, new DeviceAccess(id, secret, null));
            }
        }
    }

    private CameraSource source(MapReader camera) {
        if (!camera.has("source")) {
            camera.missing("source");
            return null;
        }
        MapReader m = camera.map("source", "mode", "url", "rtsp-transport", "interval");
        CameraSource.Mode mode = m.parsed("mode", t -> CameraSource.Mode.valueOf(t.strip().toUpperCase(java.util.Locale.ROOT)),
                "a source mode (push, pull or snapshot)");
        if (mode == null) {
            if (!m.has("mode")) {
                m.missing("mode");
            }
            return null;
        }
        String url = m.string("url");
        String transport = m.string("rtsp-transport");
        if (mode == CameraSource.Mode.PULL && url == null) {
            m.missing("url");
            return null;
        }
        if (mode == CameraSource.Mode.PUSH && url != null) {
            doc.error(m.at("url"), m.path("url"), "a push camera has no url: its edge box connects to the video push port");
            return null;
        }
        if (mode == CameraSource.Mode.SNAPSHOT && url != null) {
            doc.error(m.at("url"), m.path("url"), "a snapshot camera has no url: it uploads to the ingest HTTP port");
            return null;
        }
        Duration interval = null;
        if (mode == CameraSource.Mode.SNAPSHOT) {
            interval = m.duration("interval", Duration.ofSeconds(10));
            if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
                doc.error(m.at("interval"), m.path("interval"), "must be between 1s and 1h");
                return null;
            }
        } else if (m.has("interval")) {
            doc.error(m.at("interval"), m.path("interval"), "only applies to a snapshot camera");
            return null;
        }
        if (transport != null) {
            transport = transport.strip().toLowerCase(java.util.Locale.ROOT);
            if (!transport.equals("tcp") && !transport.equals("udp")) {
                doc.error(m.at("rtsp-transport"), m.path("rtsp-transport"), "expected tcp or udp, got '" + transport + "'");
                return null;
            }
            if (url == null || !url.toLowerCase(java.util.Locale.ROOT).startsWith("rtsp")) {
                doc.error(m.at("rtsp-transport"), m.path("rtsp-transport"), "only applies to an rtsp:// url");
                return null;
            }
        }
        return new CameraSource(mode, url, transport, interval);
    }

    private AnalysisSettings analysis(MapReader camera) {
        MapReader m = camera.map("analysis", "fps", "width", "height", "analyzers", "models");
        boolean ok = true;
        Double fps = m.number("fps");
        if (fps == null) {
            fps = 5.0;
        } else if (fps <= 0 || fps > 30) {
            doc.error(m.at("fps"), m.path("fps"), "must be above 0 and at most 30, got " + CatalogueSection.fmt(fps));
            ok = false;
        }
        Integer width = m.integer("width", 640, 16, 3840);
        Integer height = m.integer("height", 360, 16, 2160);
        Set<String> analyzers = new LinkedHashSet<>(ANALYZERS);
        if (m.has("analyzers")) {
            analyzers.clear();
            List<Node> items = m.list("analyzers");
            for (int i = 0; i < items.size(); i++) {
                String p = m.path("analyzers") + "[" + i + "]";
                String a = doc.text(items.get(i), p);
                if (a != null && !ANALYZERS.contains(a)) {
                    doc.error(items.get(i), p, "unknown analyzer '" + a + "' (known: " + String.join(", ", ANALYZERS) + ")");
                    ok = false;
                } else if (a != null && !analyzers.add(a)) {
                    doc.error(items.get(i), p, "analyzer '" + a + "' is listed twice");
                }
            }
        }
        List<String> models = m.strings("models");
        for (int i = 0; i < models.size(); i++) {
            if (video.model(models.get(i)).isEmpty()) {
                doc.error(m.list("models").get(i), m.path("models") + "[" + i + "]", "unknown model '" + models.get(i)
                        + "' (models are declared under video.models)");
                ok = false;
            }
        }
        return ok ? new AnalysisSettings(fps, width, height, analyzers, models) : null;
    }

    private List<Zone> zones(MapReader camera) {
        List<Node> items = camera.list("zones");
        List<Zone> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String path = camera.path("zones") + "[" + i + "]";
            MapReader z = doc.map(items.get(i), path, "name", "purpose", "polygon", "max-people", "dwell",
                    "object");
            String name = z.required("name");
            if (name != null && !names.add(name)) {
                doc.error(z.at("name"), z.path("name"), "duplicate zone name '" + name + "' on this camera");
                ok = false;
            }
            ZonePurpose purpose = z.parsed("purpose", ZonePurpose::parse, "a zone purpose (restricted, danger, post, crowd, ppe)");
            if (purpose == null && !z.has("purpose")) {
                z.missing("purpose");
            }
            Integer maxPeople = z.integer("max-people", 0, 1, 10_000);
            if (purpose == ZonePurpose.CROWD && !z.has("max-people")) {
                doc.error(z.node(), z.path("max-people"), "required for a crowd zone");
                ok = false;
            } else if (purpose != null && purpose != ZonePurpose.CROWD && z.has("max-people")) {
                doc.error(z.keyNode("max-people"), z.path("max-people"), "only applies to a crowd zone");
                ok = false;
            }
            Duration dwell = z.duration("dwell", Duration.ZERO);
            if (dwell.isNegative()) {
                doc.error(z.at("dwell"), z.path("dwell"), "must not be negative");
            }
            String object = z.string("object", Zone.PERSON).strip().toLowerCase(java.util.Locale.ROOT);
            if (z.has("object") && purpose != ZonePurpose.RESTRICTED && purpose != ZonePurpose.DANGER) {
                doc.error(z.keyNode("object"), z.path("object"), "only applies to a restricted or danger zone");
                ok = false;
            } else if (purpose == ZonePurpose.DANGER && object.equals(Zone.MOTION)) {
                doc.error(z.at("object"), z.path("object"), "a danger zone counts people or a detector class, not motion "
                        + "(motion applies to restricted zones)");
                ok = false;
            }
            List<Point> polygon = polygon(z);
            if (name != null && purpose != null && polygon != null && maxPeople != null) {
                out.add(new Zone(name, purpose, polygon, maxPeople, dwell.toMillis() / 1000.0, object));
            } else {
                ok = false;
            }
        }
        return ok ? out : null;
    }

    private List<Point> polygon(MapReader zone) {
        if (!zone.has("polygon")) {
            zone.missing("polygon");
            return null;
        }
        List<Node> points = zone.list("polygon");
        List<Point> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < points.size(); i++) {
            String p = zone.path("polygon") + "[" + i + "]";
            List<Node> xy = doc.seq(points.get(i), p);
            if (xy.size() != 2) {
                if (points.get(i) instanceof org.snakeyaml.engine.v2.nodes.SequenceNode) {
                    doc.error(points.get(i), p, "a point is [x, y]");
                }
                ok = false;
                continue;
            }
            Double x = doc.number(xy.get(0), p + "[0]");
            Double y = doc.number(xy.get(1), p + "[1]");
            if (x == null || y == null) {
                ok = false;
            } else if (x < 0 || x > 1 || y < 0 || y > 1) {
                doc.error(points.get(i), p, "point (" + x + ", " + y + ") is outside the picture: use 0..1 of its width and height");
                ok = false;
            } else {
                out.add(new Point(x, y));
            }
        }
        if (ok && out.size() < 3) {
            doc.error(zone.at("polygon"), zone.path("polygon"), "a zone needs at least 3 points, got " + out.size());
            return null;
        }
        return ok ? out : null;
    }
}
