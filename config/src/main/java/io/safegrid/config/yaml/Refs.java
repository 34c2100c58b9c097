package io.safegrid.config.yaml;

import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.MetricDef;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** What the file has declared so far, for checking references made by later sections. */
final class Refs {
    final Map<String, MetricDef> metrics = new LinkedHashMap<>();
    final Map<String, DeviceClassDef> classes = new LinkedHashMap<>();
    final Map<GridPath, GridNode> grid = new LinkedHashMap<>();
    final Set<String> channels = new LinkedHashSet<>();
    final Set<String> users = new LinkedHashSet<>();
    /** Device ids (sensors and cameras share one namespace: the bus keys by it). */
    final Set<String> devices = new LinkedHashSet<>();
    /** Each sensor's metric, by sensor id: a power-off override rule binds a feed sensor to a methane one. */
    final Map<String, String> sensorMetrics = new LinkedHashMap<>();
    /** Every sensor id written, valid or not: a reference to a broken sensor is that sensor's error, not a second one. */
    final Set<String> declaredSensors = new LinkedHashSet<>();

    /** A grid path that must exist; reported and null otherwise. */
    GridPath gridPath(Doc doc, Node at, String path, String text, GridKind... kinds) {
        if (text == null) {
            return null;
        }
        GridPath p;
        try {
            p = GridPath.parse(text);
        } catch (IllegalArgumentException e) {
            doc.error(at, path, "'" + text + "' is not a grid path (ids joined by '/', e.g. puxian/keliqiao)");
            return null;
        }
        GridNode n = grid.get(p);
        if (n == null) {
            doc.error(at, path, "unknown grid node '" + p + "'" + nearest(p));
            return null;
        }
        if (kinds.length > 0 && !Set.of(kinds).contains(n.kind())) {
            doc.error(at, path, "'" + p + "' is a " + n.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + ", expected a " + describe(kinds));
            return null;
        }
        return p;
    }

    /** Helps with the usual mistake: a node id given without its parents. */
    private String nearest(GridPath p) {
        for (GridPath known : grid.keySet()) {
            if (known.id().equals(p.id())) {
                return " (did you mean '" + known + "'?)";
            }
        }
        return "";
    }

    private static String describe(GridKind... kinds) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                b.append(i == kinds.length - 1 ? " or " : ", ");
            }
            b.append(kinds[i].name().toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }
}
