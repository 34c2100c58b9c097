package io.safegrid.config.yaml;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Typed access to one YAML mapping. Unknown and duplicate keys are reported when it is opened;
 * every getter reports a bad value at the value's own line and returns null (or the default) so
 * reading goes on and all problems are found in one pass.
 */
final class MapReader {
    private final Doc doc;
    private final Node node;
    private final String path;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final boolean mapping;

    MapReader(Doc doc, Node node, String path, List<String> allowed) {
        this.doc = doc;
        this.node = node;
        this.path = path;
        this.mapping = node instanceof MappingNode;
        if (node == null || Doc.isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode m)) {
            doc.error(node, path, "expected a mapping (key: value), got " + Doc.describe(node));
            return;
        }
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                doc.error(t.getKeyNode(), path, "keys must be plain words");
                continue;
            }
            String key = k.getValue();
            if (!allowed.contains(key)) {
                doc.error(k, path, "unknown key '" + key + "'" + suggestion(key, allowed));
            } else if (entries.putIfAbsent(key, t) != null) {
                doc.error(k, path, "duplicate key '" + key + "'");
            }
        }
    }

    /** True when the mapping was there (a missing section reads as empty). */
    boolean present() { return mapping; }

    Node node() { return node; }

    String path() { return path; }

    String path(String key) { return path.isEmpty() ? key : path + "." + key; }

    boolean has(String key) {
        NodeTuple t = entries.get(key);
        return t != null && !Doc.isNull(t.getValueNode());
    }

    /** The value node, or null when absent. */
    Node get(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    /** The line to blame for a key: its value when present, else the mapping itself. */
    Node at(String key) {
        Node v = get(key);
        return v != null ? v : node;
    }

    String string(String key) {
        return doc.text(get(key), path(key));
    }

    String string(String key, String def) {
        String s = string(key);
        return s == null ? def : s;
    }

    String required(String key) {
        String s = string(key);
        if (s == null && !has(key)) {
            missing(key);
        } else if (s != null && s.isBlank()) {
            doc.error(at(key), path(key), "must not be empty");
            return null;
        }
        return s;
    }

    /** A file system path (not checked to exist), or null when absent or unusable. */
    java.nio.file.Path file(String key) {
        String name = string(key);
        return name == null ? null : toPath(key, name);
    }

    /** A required file that must be readable now (the node reads it at start), or null after reporting why not. */
    java.nio.file.Path readableFile(String key) {
        String name = required(key);
        java.nio.file.Path p = name == null ? null : toPath(key, name);
        if (p != null && (!java.nio.file.Files.isReadable(p) || java.nio.file.Files.isDirectory(p))) {
            doc.error(at(key), path(key), "cannot read file '" + name + "'");
            return null;
        }
        return p;
    }

    private java.nio.file.Path toPath(String key, String name) {
        try {
            return java.nio.file.Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            doc.error(at(key), path(key), "not a usable path: " + e.getReason());
            return null;
        }
    }

    void missing(String key) {
        if (mapping) {
            doc.error(node, path(key), "required");
        }
    }

    Double number(String key) {
        return doc.number(get(key), path(key));
    }

    Integer integer(String key, Integer def, int min, int max) {
        String t = string(key);
        if (t == null) {
            return def;
        }
        try {
            int v = Integer.parseInt(t.strip().replace("_", ""));
            if (v < min || v > max) {
                doc.error(at(key), path(key), "must be between " + min + " and " + max + ", got " + v);
                return def;
            }
            return v;
        } catch (NumberFormatException e) {
            doc.error(at(key), path(key), "expected a whole number, got '" + t + "'");
            return def;
        }
    }

    Boolean bool(String key, Boolean def) {
        String t = string(key);
        if (t == null) {
            return def;
        }
        return switch (t.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                doc.error(at(key), path(key), "expected true or false, got '" + t + "'");
                yield def;
            }
        };
    }

    Duration duration(String key, Duration def) {
        String t = string(key);
        if (t == null) {
            return def;
        }
        try {
            return Durations.parse(t);
        } catch (IllegalArgumentException e) {
            doc.error(at(key), path(key), e.getMessage());
            return def;
        }
    }

    /** A value read by {@code parser}, whose IllegalArgumentException message is reported. */
    <T> T parsed(String key, Function<String, T> parser, String expected) {
        String t = string(key);
        if (t == null) {
            return null;
        }
        try {
            return parser.apply(t);
        } catch (IllegalArgumentException e) {
            doc.error(at(key), path(key), "'" + t + "' is not " + expected);
            return null;
        }
    }

    List<Node> list(String key) {
        return doc.seq(get(key), path(key));
    }

    /** The strings of a list value, each reported on its own line when bad. */
    List<String> strings(String key) {
        List<Node> items = list(key);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String s = doc.text(items.get(i), path(key) + "[" + i + "]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    MapReader map(String key, String... allowed) {
        return new MapReader(doc, get(key), path(key), List.of(allowed));
    }

    /** A mapping whose keys are data (levels, channel ids), not schema. */
    Map<String, Node> entries(String key) {
        Node n = get(key);
        Map<String, Node> out = new LinkedHashMap<>();
        if (n == null || Doc.isNull(n)) {
            return out;
        }
        if (!(n instanceof MappingNode m)) {
            doc.error(n, path(key), "expected a mapping (key: value), got " + Doc.describe(n));
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                if (out.putIfAbsent(k.getValue(), t.getValueNode()) != null) {
                    doc.error(k, path(key), "duplicate key '" + k.getValue() + "'");
                }
            } else {
                doc.error(t.getKeyNode(), path(key), "keys must be plain words");
            }
        }
        return out;
    }

    /** The key node of an entry, for problems that concern the key itself. */
    Node keyNode(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? node : t.getKeyNode();
    }

    private static String suggestion(String key, List<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String a : allowed) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT).replace('_', '-'), a);
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return best == null ? " (allowed: " + String.join(", ", allowed) + ")" : " (did you mean '" + best + "'?)";
    }

    /** Levenshtein distance; keys are short so the quadratic table is fine. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
