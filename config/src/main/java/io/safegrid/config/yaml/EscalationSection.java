package io.safegrid.config.yaml;

import io.safegrid.config.EscalationPolicy;
import io.safegrid.model.Level;
import io.safegrid.model.grid.GridKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code escalation:}; each level left out keeps {@link EscalationPolicy#defaults()}. */
final class EscalationSection {
    private EscalationSection() {
    }

    static EscalationPolicy read(Doc doc, Node yaml) {
        EscalationPolicy defaults = EscalationPolicy.defaults();
        MapReader m = doc.map(yaml, "escalation", "notify-first", "ack-timeout");
        Map<Level, Set<GridKind>> notify = new EnumMap<>(defaults.notifyFirst());
        for (Map.Entry<String, Node> e : m.entries("notify-first").entrySet()) {
            String p = m.path("notify-first") + "." + e.getKey();
            Level level = level(doc, e.getKey(), e.getValue(), p);
            if (level == null) {
                continue;
            }
            Set<GridKind> kinds = EnumSet.noneOf(GridKind.class);
            List<Node> items = doc.seq(e.getValue(), p);
            for (int i = 0; i < items.size(); i++) {
                String t = doc.text(items.get(i), p + "[" + i + "]");
                if (t == null) {
                    continue;
                }
                try {
                    kinds.add(GridKind.parse(t));
                } catch (IllegalArgumentException ex) {
                    doc.error(items.get(i), p + "[" + i + "]", "'" + t
                            + "' is not a grid kind (county, department, township, village, enterprise, site)");
                }
            }
            kinds.add(GridKind.ENTERPRISE); // the enterprise is always told: it is the one that must act
            notify.put(level, kinds);
        }
        Map<Level, Duration> ack = new EnumMap<>(defaults.ackTimeout());
        for (Map.Entry<String, Node> e : m.entries("ack-timeout").entrySet()) {
            String p = m.path("ack-timeout") + "." + e.getKey();
            Level level = level(doc, e.getKey(), e.getValue(), p);
            String t = doc.text(e.getValue(), p);
            if (level == null || t == null) {
                continue;
            }
            try {
                Duration d = Durations.parse(t);
                if (d.isZero() || d.isNegative()) {
                    doc.error(e.getValue(), p, "must be longer than 0s");
                } else {
                    ack.put(level, d);
                }
            } catch (IllegalArgumentException ex) {
                doc.error(e.getValue(), p, ex.getMessage());
            }
        }
        return new EscalationPolicy(notify, ack);
    }

    private static Level level(Doc doc, String key, Node at, String path) {
        try {
            return Level.parse(key);
        } catch (IllegalArgumentException e) {
            doc.error(at, path, "unknown level '" + key + "' (expected blue, yellow, orange or red)");
            return null;
        }
    }
}
