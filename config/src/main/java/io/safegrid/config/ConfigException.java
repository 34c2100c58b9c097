package io.safegrid.config;

import java.util.List;
import java.util.stream.Collectors;

/** A deployment file that cannot be used, with every problem found in it (not just the first). */
public class ConfigException extends RuntimeException {
    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(summary(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() { return errors; }

    private static String summary(List<ConfigError> errors) {
        return errors.size() + (errors.size() == 1 ? " problem" : " problems") + " in the deployment file:\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    }
}
