package io.safegrid.config.yaml;

import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.MetricDef;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code metrics:} and {@code device-classes:}, the catalogues sensors and rules refer to. */
final class CatalogueSection {
    static final Duration DEFAULT_OFFLINE_AFTER = Duration.ofMinutes(5);

    private CatalogueSection() {
    }

    static void metrics(Doc doc, List<Node> items, Refs refs) {
        Ids ids = new Ids(doc, "metric");
        for (int i = 0; i < items.size(); i++) {
            String path = "metrics[" + i + "]";
            MapReader m = doc.map(items.get(i), path, "id", "name-zh", "name-en", "unit", "range", "hj212-factor");
            String id = m.required("id");
            ValueRange range = range(doc, m, true);
            String nameZh = m.string("name-zh", id);
            String nameEn = m.string("name-en", id);
            String unit = m.string("unit", "");
            String factor = m.string("hj212-factor");
            if (ids.accept(id, m.at("id"), m.path("id"), GridPath.SEGMENT) && range != null) {
                refs.metrics.put(id, new MetricDef(id, nameZh, nameEn, unit, range, factor));
            }
        }
    }

    static void deviceClasses(Doc doc, List<Node> items, Refs refs) {
        Ids ids = new Ids(doc, "device class");
        for (int i = 0; i < items.size(); i++) {
            String path = "device-classes[" + i + "]";
            MapReader m = doc.map(items.get(i), path, "id", "description", "offline-after");
            String id = m.required("id");
            String description = m.string("description", "");
            Duration offline = m.duration("offline-after", DEFAULT_OFFLINE_AFTER);
            if (offline.isZero() || offline.isNegative()) {
                doc.error(m.at("offline-after"), m.path("offline-after"), "must be longer than 0s");
            }
            if (ids.accept(id, m.at("id"), m.path("id"), GridPath.SEGMENT)) {
                refs.classes.put(id, new DeviceClassDef(id, description, offline));
            }
        }
    }

    /** {@code range: [min, max]}; null (reported when required) if absent or bad. */
    static ValueRange range(Doc doc, MapReader m, boolean required) {
        if (!m.has("range")) {
            if (required) {
                m.missing("range");
            }
            return null;
        }
        List<Node> bounds = m.list("range");
        if (bounds.size() != 2) {
            if (m.get("range") instanceof org.snakeyaml.engine.v2.nodes.SequenceNode) {
                doc.error(m.at("range"), m.path("range"), "expected [min, max], got " + bounds.size() + " values");
            }
            return null;
        }
        Double min = doc.number(bounds.get(0), m.path("range") + "[0]");
        Double max = doc.number(bounds.get(1), m.path("range") + "[1]");
        if (min == null || max == null) {
            return null;
        }
        if (!(min < max)) {
            doc.error(m.at("range"), m.path("range"), "min " + fmt(min) + " must be below max " + fmt(max));
            return null;
        }
        return new ValueRange(min, max);
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
