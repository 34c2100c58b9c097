package io.safegrid.config.yaml;

import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code rules:}. Each rule type takes only the keys it uses, so a key meant for another type
 * (a common copy-paste slip) is reported rather than silently ignored.
 */
final class RuleSection {
    private static final String[] ALL = {"id", "type", "description", "metric", "classes", "above", "below", "clear",
            "min-duration", "rate-per-minute", "stuck-for", "horizon", "other-metric", "other-value", "level", "feeds"};

    private static final Map<RuleDef.Type, Set<String>> USES = Map.of(
            RuleDef.Type.THRESHOLD, Set.of("metric", "classes", "above", "below", "clear", "min-duration"),
            RuleDef.Type.RATE_OF_CHANGE, Set.of("metric", "classes", "rate-per-minute", "level", "min-duration"),
            RuleDef.Type.SENSOR_FAULT, Set.of("metric", "classes", "stuck-for", "level"),
            RuleDef.Type.TREND, Set.of("metric", "classes", "above", "horizon", "level"),
            RuleDef.Type.COMPOSITE, Set.of("metric", "classes", "other-metric", "other-value", "level", "min-duration"),
            RuleDef.Type.OFFLINE, Set.of("metric", "classes", "level"),
            RuleDef.Type.POWER_OFF_OVERRIDE, Set.of("metric", "classes", "level", "min-duration", "feeds"));

    private RuleSection() {
    }

    static List<RuleDef> read(Doc doc, List<Node> items, Refs refs) {
        List<RuleDef> out = new ArrayList<>();
        Ids ids = new Ids(doc, "rule");
        for (int i = 0; i < items.size(); i++) {
            RuleDef r = rule(doc, items.get(i), "rules[" + i + "]", refs, ids);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static RuleDef rule(Doc doc, Node yaml, String path, Refs refs, Ids ids) {
        int before = doc.problems.count();
        MapReader m = doc.map(yaml, path, ALL);
        String id = m.required("id");
        ids.accept(id, m.at("id"), m.path("id"), GridPath.SEGMENT);
        RuleDef.Type type = m.parsed("type", t -> RuleDef.Type.valueOf(t.strip().toUpperCase(java.util.Locale.ROOT)
                .replace('-', '_')), "a rule type (threshold, rate-of-change, sensor-fault, trend, composite, offline, power-off-override)");
        if (type == null) {
            if (!m.has("type")) {
                m.missing("type");
            }
            return null;
        }
        String typeName = type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        for (String k : ALL) {
            if (m.get(k) != null && !k.equals("id") && !k.equals("type") && !k.equals("description")
                    && !USES.get(type).contains(k)) {
                doc.error(m.keyNode(k), m.path(k), "does not apply to a " + typeName + " rule");
            }
        }
        String metric = type == RuleDef.Type.OFFLINE || type == RuleDef.Type.SENSOR_FAULT
                ? m.string("metric") : m.required("metric");
        checkMetric(doc, m, "metric", metric, refs);
        List<String> classes = m.strings("classes");
        List<Node> classNodes = m.list("classes");
        for (int i = 0; i < classes.size() && i < classNodes.size(); i++) {
            if (!refs.classes.containsKey(classes.get(i))) {
                doc.error(classNodes.get(i), m.path("classes") + "[" + i + "]", "unknown device class '" + classes.get(i)
                        + "'" + SensorSection.known(refs.classes.keySet()));
            }
        }
        Map<Level, Node> at = new EnumMap<>(Level.class);
        Map<Level, Double> above = levels(doc, m, "above", true, at);
        reachable(doc, m, "above", above, at, metric, refs);
        at.clear();
        Map<Level, Double> below = levels(doc, m, "below", false, at);
        reachable(doc, m, "below", below, at, metric, refs);
        Double clear = m.number("clear");
        // a power-off controller must act within 2 s (AQ 1029): only power still on after that is an override
        Duration minDuration = m.duration("min-duration", type == RuleDef.Type.POWER_OFF_OVERRIDE ? Duration.ofSeconds(2) : Duration.ZERO);
        Double rate = m.number("rate-per-minute");
        Duration stuckFor = m.duration("stuck-for", null);
        Duration horizon = m.duration("horizon", null);
        String otherMetric = m.string("other-metric");
        Double otherValue = m.number("other-value");
        Level level = m.parsed("level", Level::parse, "a level (blue, yellow, orange, red)");
        if (minDuration.isNegative()) {
            doc.error(m.at("min-duration"), m.path("min-duration"), "must not be negative");
        }

        List<RuleDef.FeedBinding> feeds = List.of();
        switch (type) {
            case THRESHOLD -> {
                if (above.isEmpty() && below.isEmpty() && !m.has("above") && !m.has("below")) {
                    doc.error(m.node(), m.path("above"), "a threshold rule needs 'above' and/or 'below' levels");
                }
                checkClear(doc, m, above, below, clear);
            }
            case RATE_OF_CHANGE -> {
                if (rate == null && !m.has("rate-per-minute")) {
                    m.missing("rate-per-minute");
                } else if (rate != null && rate <= 0) {
                    doc.error(m.at("rate-per-minute"), m.path("rate-per-minute"), "must be above 0 (the absolute change per minute)");
                }
                requireLevel(m, level);
            }
            case SENSOR_FAULT -> {
                positive(doc, m, "stuck-for", stuckFor);
                if (level == null && !m.has("level")) {
                    level = Level.BLUE;
                }
            }
            case TREND -> {
                requireLevel(m, level);
                if (horizon == null && !m.has("horizon")) {
                    m.missing("horizon");
                }
                positive(doc, m, "horizon", horizon);
                if (level != null && m.has("above") && !above.containsKey(level) && !above.isEmpty()) {
                    doc.error(m.at("above"), m.path("above"), "needs the " + level.colour() + " limit the trend is projected against");
                } else if (!m.has("above")) {
                    doc.error(m.node(), m.path("above"), "required: the limit the trend is projected against");
                }
            }
            case COMPOSITE -> {
                requireLevel(m, level);
                if (otherMetric == null && !m.has("other-metric")) {
                    m.missing("other-metric");
                }
                checkMetric(doc, m, "other-metric", otherMetric, refs);
                if (otherValue == null && !m.has("other-value")) {
                    m.missing("other-value");
                }
            }
            case OFFLINE -> requireLevel(m, level);
            case POWER_OFF_OVERRIDE -> {
                if (level == null && !m.has("level")) {
                    level = Level.RED;
                }
                feeds = feeds(doc, m, metric, refs);
            }
            default -> throw new IllegalStateException(type.name());
        }
        if (doc.problems.count() > before) {
            return null;
        }
        return new RuleDef(id, type, metric, classes, above, below, clear, minDuration, rate, stuckFor, horizon,
                otherMetric, otherValue, level, m.string("description"), feeds);
    }

    /** {@code feeds: [{feed: <sensor of the rule's metric>, methane: <sensor>, power-off: <% vol>}]}, one entry per feed sensor. */
    private static List<RuleDef.FeedBinding> feeds(Doc doc, MapReader rule, String metric, Refs refs) {
        List<Node> items = rule.list("feeds");
        if (items.isEmpty()) {
            doc.error(rule.node(), rule.path("feeds"), "required: which feed sensor cuts power for which methane sensor,"
                    + " at which power-off limit ({feed, methane, power-off})");
        }
        List<RuleDef.FeedBinding> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            MapReader f = doc.map(items.get(i), rule.path("feeds") + "[" + i + "]", "feed", "methane", "power-off");
            String feed = f.required("feed");
            String methane = f.required("methane");
            Double limit = f.number("power-off");
            if (limit == null && !f.has("power-off")) {
                f.missing("power-off");
            } else if (limit != null && limit <= 0) {
                doc.error(f.at("power-off"), f.path("power-off"), "must be above 0 (% vol, e.g. 1.5 at a working face)");
                limit = null;
            }
            if (feed != null && !refs.sensorMetrics.containsKey(feed)) {
                if (!refs.declaredSensors.contains(feed)) {
                    doc.error(f.at("feed"), f.path("feed"), "no sensor '" + feed + "'");
                }
                feed = null;
            } else if (feed != null && metric != null && !metric.equals(refs.sensorMetrics.get(feed))) {
                doc.error(f.at("feed"), f.path("feed"), "sensor '" + feed + "' measures " + refs.sensorMetrics.get(feed)
                        + ", not the rule's metric " + metric);
                feed = null;
            } else if (feed != null && !seen.add(feed)) {
                doc.error(f.at("feed"), f.path("feed"), "feed sensor '" + feed + "' is bound twice");
                feed = null;
            }
            if (methane != null && !refs.sensorMetrics.containsKey(methane)) {
                if (!refs.declaredSensors.contains(methane)) {
                    doc.error(f.at("methane"), f.path("methane"), "no sensor '" + methane + "'");
                }
                methane = null;
            }
            if (feed != null && methane != null && limit != null) {
                out.add(new RuleDef.FeedBinding(feed, methane, limit));
            }
        }
        return out;
    }

    private static void checkMetric(Doc doc, MapReader m, String key, String metric, Refs refs) {
        if (metric != null && !refs.metrics.containsKey(metric)) {
            doc.error(m.at(key), m.path(key), "unknown metric '" + metric + "'" + SensorSection.known(refs.metrics.keySet()));
        }
    }

    /** A threshold outside what the sensor can measure never fires: almost surely a unit mix-up (ppm vs %). */
    private static void reachable(Doc doc, MapReader m, String key, Map<Level, Double> limits, Map<Level, Node> at,
                                  String metric, Refs refs) {
        io.safegrid.config.MetricDef def = metric == null ? null : refs.metrics.get(metric);
        if (def == null) {
            return;
        }
        for (Map.Entry<Level, Double> e : limits.entrySet()) {
            if (!def.range().contains(e.getValue())) {
                doc.error(at.get(e.getKey()), m.path(key) + "." + e.getKey().colour(), CatalogueSection.fmt(e.getValue())
                        + " is outside the range of " + metric + " [" + CatalogueSection.fmt(def.range().min()) + ", "
                        + CatalogueSection.fmt(def.range().max()) + "] " + def.unit() + ": it can never be reached");
            }
        }
    }

    private static void requireLevel(MapReader m, Level level) {
        if (level == null && !m.has("level")) {
            m.missing("level");
        }
    }

    private static void positive(Doc doc, MapReader m, String key, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            doc.error(m.at(key), m.path(key), "must be longer than 0s");
        }
    }

    /**
     * {@code above: {yellow: 0.75, orange: 1.0, red: 1.5}}. Higher levels must not be easier to
     * reach than lower ones: rising for {@code above}, falling for {@code below}.
     */
    private static Map<Level, Double> levels(Doc doc, MapReader m, String key, boolean rising, Map<Level, Node> nodes) {
        Map<Level, Double> out = new EnumMap<>(Level.class);
        for (Map.Entry<String, Node> e : m.entries(key).entrySet()) {
            String p = m.path(key) + "." + e.getKey();
            Level level;
            try {
                level = Level.parse(e.getKey());
            } catch (IllegalArgumentException ex) {
                doc.error(e.getValue(), p, "unknown level '" + e.getKey() + "' (expected blue, yellow, orange or red)");
                continue;
            }
            Double v = doc.number(e.getValue(), p);
            if (v != null) {
                out.put(level, v);
                nodes.put(level, e.getValue());
            }
        }
        Level prev = null;
        for (Level l : Level.values()) {
            Double v = out.get(l);
            if (v == null) {
                continue;
            }
            if (prev != null) {
                double pv = out.get(prev);
                if (rising ? v < pv : v > pv) {
                    doc.error(nodes.get(l), m.path(key) + "." + l.colour(), l.colour() + " (" + CatalogueSection.fmt(v)
                            + ") must be " + (rising ? "at least" : "at most") + " " + prev.colour() + " ("
                            + CatalogueSection.fmt(pv) + "): higher levels are further from normal");
                }
            }
            prev = l;
        }
        return out;
    }

    /** The clear value must let every level's alarm end: not above the highest 'above', not below the lowest 'below'. */
    private static void checkClear(Doc doc, MapReader m, Map<Level, Double> above, Map<Level, Double> below, Double clear) {
        if (clear == null) {
            return;
        }
        if (!above.isEmpty() && !below.isEmpty()) {
            doc.error(m.at("clear"), m.path("clear"), "ambiguous when both 'above' and 'below' are set: split the rule in two");
            return;
        }
        if (!above.isEmpty()) {
            double top = above.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            if (clear > top) {
                doc.error(m.at("clear"), m.path("clear"), "clear (" + CatalogueSection.fmt(clear)
                        + ") is above the highest 'above' threshold (" + CatalogueSection.fmt(top) + "): the alarm would clear at once");
            }
        } else if (!below.isEmpty()) {
            double bottom = below.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            if (clear < bottom) {
                doc.error(m.at("clear"), m.path("clear"), "clear (" + CatalogueSection.fmt(clear)
                        + ") is below the lowest 'below' threshold (" + CatalogueSection.fmt(bottom) + "): the alarm would clear at once");
            }
        }
    }
}
