package io.safegrid.config.yaml;

import io.safegrid.config.ConfigError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects every problem of one file, so the operator sees them all in one go. */
final class Problems {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void at(Node node, String path, String message) {
        errors.add(new ConfigError(file, line(node), path, message));
    }

    void atLine(int line, String path, String message) {
        errors.add(new ConfigError(file, line, path, message));
    }

    boolean isEmpty() { return errors.isEmpty(); }

    int count() { return errors.size(); }

    /** In file order; problems found at the same line keep the order they were found in. */
    List<ConfigError> sorted() {
        List<ConfigError> out = new ArrayList<>(errors);
        out.sort(Comparator.comparingInt(ConfigError::line));
        return out;
    }

    static int line(Node node) {
        return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
