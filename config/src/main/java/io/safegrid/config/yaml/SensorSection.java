package io.safegrid.config.yaml;

import io.safegrid.config.DeviceAccess;
import io.safegrid.config.MetricDef;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.grid.GridPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code sensors:}: one measuring channel each, with the credentials ingest checks. Unit and range
 * default from the metric; HJ 212 loggers (one MN, many factors) are checked for a consistent
 * password and unique factors.
 */
final class SensorSection {
    /** Shorter secrets are guessable by anyone on the plant network. */
    static final int MIN_SECRET_LENGTH = 8;

    private final Doc doc;
    private final Refs refs;
    final List<Sensor> sensors = new ArrayList<>();
    final Map<String, DeviceAccess> access = new HashMap<>();
    private final Map<String, Logger> loggers = new HashMap<>();

    /** What one MN has shown so far. */
    private static final class Logger {
        String password;
        int passwordLine;
        final Map<String, Integer> factors = new HashMap<>();
    }

    SensorSection(Doc doc, Refs refs) {
        this.doc = doc;
        this.refs = refs;
    }

    void read(List<Node> items, Ids deviceIds) {
        for (int i = 0; i < items.size(); i++) {
            sensor(items.get(i), "sensors[" + i + "]", deviceIds);
        }
    }

    private void sensor(Node yaml, String path, Ids deviceIds) {
        MapReader m = doc.map(yaml, path, "id", "name", "site", "metric", "class", "protocol", "unit", "range",
                "secret", "hj212");
        String id = m.required("id");
        if (id != null) {
            refs.declaredSensors.add(id);
        }
        boolean idOk = deviceIds.accept(id, m.at("id"), m.path("id"), Ids.DEVICE);
        String name = m.string("name", id);
        GridPath site = refs.gridPath(doc, m.at("site"), m.path("site"), m.required("site"));
        String metricId = m.required("metric");
        MetricDef metric = metricId == null ? null : refs.metrics.get(metricId);
        if (metricId != null && metric == null) {
            doc.error(m.at("metric"), m.path("metric"), "unknown metric '" + metricId + "'" + known(refs.metrics.keySet()));
        }
        String cls = m.required("class");
        if (cls != null && !refs.classes.containsKey(cls)) {
            doc.error(m.at("class"), m.path("class"), "unknown device class '" + cls + "'" + known(refs.classes.keySet()));
        }
        Protocol protocol = m.parsed("protocol", Protocol::parse, "a protocol (mqtt, hj212, http)");
        if (protocol == null && !m.has("protocol")) {
            m.missing("protocol");
        }
        ValueRange range = CatalogueSection.range(doc, m, false);
        if (range == null && metric != null) {
            range = metric.range();
        }
        String unit = m.string("unit", metric == null ? null : metric.unit());
        String secret = m.string("secret");
        DeviceAccess.Hj212Binding hj212 = null;
        if (protocol == Protocol.HJ212) {
            hj212 = hj212(m, metric);
        } else if (m.has("hj212") && protocol != null) {
            doc.error(m.keyNode("hj212"), m.path("hj212"), "only an hj212 sensor has an hj212 binding (protocol is "
                    + protocol.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if ((protocol == Protocol.MQTT || protocol == Protocol.HTTP) && secret == null && !m.has("secret")) {
            doc.error(m.node(), m.path("secret"), "required: " + protocol.name().toLowerCase(java.util.Locale.ROOT)
                    + " devices authenticate with it");
        }
        if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
            doc.error(m.at("secret"), m.path("secret"), "too short: use at least " + MIN_SECRET_LENGTH + " characters");
            secret = null;
        }
        if (idOk && site != null && metric != null && cls != null && refs.classes.containsKey(cls) && protocol != null
                && range != null) {
            sensors.add(new Sensor(id, name, site, metricId, unit, range, cls, protocol));
            refs.sensorMetrics.put(id, metricId);
            if (secret != null || hj212 != null) {
                access.put(id, new DeviceAccess(id, secret, hj212));
            }
        }
    }

    private DeviceAccess.Hj212Binding hj212(MapReader sensor, MetricDef metric) {
        if (!sensor.has("hj212")) {
            doc.error(sensor.node(), sensor.path("hj212"), "required for protocol hj212: {mn, pw, factor}");
            return null;
        }
        MapReader m = sensor.map("hj212", "mn", "pw", "factor");
        String mn = m.required("mn");
        String pw = m.required("pw");
        String factor = m.string("factor", metric == null ? null : metric.hj212Factor());
        if (factor == null && !m.has("factor") && metric != null) {
            doc.error(m.node(), m.path("factor"), "required: metric '" + metric.id() + "' has no default hj212-factor");
        }
        if (mn == null || pw == null || factor == null) {
            return null;
        }
        Logger logger = loggers.computeIfAbsent(mn, k -> new Logger());
        boolean ok = true;
        if (logger.password == null) {
            logger.password = pw;
            logger.passwordLine = Problems.line(m.at("pw"));
        } else if (!logger.password.equals(pw)) {
            doc.error(m.at("pw"), m.path("pw"), "data logger MN " + mn + " already has a different password (line "
                    + logger.passwordLine + "); one logger has one PW");
            ok = false;
        }
        Integer first = logger.factors.putIfAbsent(factor, Problems.line(m.at("factor")));
        if (first != null) {
            doc.error(m.at("factor"), m.path("factor"), "factor " + factor + " of MN " + mn
                    + " is already bound to another sensor (line " + first + ")");
            ok = false;
        }
        return ok ? new DeviceAccess.Hj212Binding(mn, pw, factor) : null;
    }

    static String known(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return " (none declared)";
        }
        return ids.size() <= 12 ? " (known: " + String.join(", ", ids) + ")" : "";
    }
}
