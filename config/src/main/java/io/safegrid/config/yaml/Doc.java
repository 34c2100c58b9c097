package io.safegrid.config.yaml;

import java.util.List;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** The file being read: where problems go and how scalars are resolved. Shared by all sections. */
final class Doc {
    final Problems problems;
    private final Env env;

    Doc(Problems problems, Env env) {
        this.problems = problems;
        this.env = env;
    }

    void error(Node at, String path, String message) {
        problems.at(at, path, message);
    }

    /** A mapping with exactly these keys allowed; anything else is reported as a typo. */
    MapReader map(Node node, String path, String... allowedKeys) {
        return new MapReader(this, node, path, List.of(allowedKeys));
    }

    /** The items of a sequence; a missing (null) node is an empty list, anything else is an error. */
    List<Node> seq(Node node, String path) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (node instanceof SequenceNode s) {
            return s.getValue();
        }
        error(node, path, "expected a list, got " + describe(node));
        return List.of();
    }

    /** The text of a scalar with ${ENV} resolved; null for a YAML null; reported and null when not a scalar. */
    String text(Node node, String path) {
        if (node == null || isNull(node)) {
            return null;
        }
        if (!(node instanceof ScalarNode s)) {
            error(node, path, "expected a single value, got " + describe(node));
            return null;
        }
        try {
            return env.resolve(s.getValue());
        } catch (Env.Unset e) {
            error(node, path, "environment variable '" + e.name + "' is not set (give ${" + e.name
                    + ":-default} for a default)");
            return null;
        }
    }

    Double number(Node node, String path) {
        String t = text(node, path);
        if (t == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(t.strip().replace("_", ""));
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        error(node, path, "expected a number, got '" + t + "'");
        return null;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && (Tag.NULL.equals(s.getTag()) && s.isPlain());
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
