package io.safegrid.node.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docker-compose.yml read the way Compose reads it, as far as this repository's file needs: YAML
 * with anchors, {@code <<} merge keys, and {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR:?error}} interpolated from an {@code .env} file. A required variable that the
 * {@code .env} lacks fails here as it would fail {@code docker compose up}.
 */
final class ComposeFile {
    private static final Pattern VAR = Pattern.compile(
            "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    static ComposeFile read(Path file, Map<String, String> dotEnv) throws IOException {
        Object yaml = new Load(LoadSettings.builder().setLabel(file.getFileName().toString()).build())
                .loadFromString(Files.readString(file));
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) resolve(yaml, dotEnv);
        return new ComposeFile(root);
    }

    Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        map(root, "services").forEach((name, s) -> out.put(name, asMap(s)));
        return out;
    }

    /** The service's environment as the container sees it (map or list form). */
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object e = service.get("environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (e instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    static List<String> strings(Map<String, Object> map, String key) {
        Object v = map.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** Applies merge keys and interpolation to a freshly loaded tree (aliases share objects, so copy). */
    private static Object resolve(Object node, Map<String, String> env) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            Object merge = m.get("<<");
            if (merge instanceof Map<?, ?> base) {
                asMap(resolve(base, env)).forEach(out::put);
            } else if (merge instanceof List<?> bases) {
                for (Object b : bases) {
                    asMap(resolve(b, env)).forEach(out::putIfAbsent);
                }
            }
            m.forEach((k, v) -> {
                if (!"<<".equals(k)) {
                    out.put(String.valueOf(k), resolve(v, env));
                }
            });
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(resolve(x, env)));
            return out;
        }
        if (node instanceof String s) {
            return interpolate(s, env);
        }
        return node;
    }

    static String interpolate(String text, Map<String, String> env) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (m.group(4) != null) {
                replacement = env.getOrDefault(m.group(4), "");
            } else {
                String value = env.get(m.group(1));
                String op = m.group(2);
                boolean unsetOrEmpty = value == null || (op != null && op.startsWith(":") && value.isEmpty());
                if (op != null && op.endsWith("-") && unsetOrEmpty) {
                    value = m.group(3);
                } else if (op != null && op.endsWith("?") && unsetOrEmpty) {
                    throw new IllegalStateException("required variable " + m.group(1) + " is missing: " + m.group(3));
                }
                replacement = value == null ? "" : value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code KEY=VALUE} lines; '#' comments; single quotes literal, double quotes stripped. */
    static Map<String, String> dotEnv(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(file + ": not KEY=VALUE: " + line);
            }
            String value = l.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                    || value.startsWith("\"") && value.endsWith("\""))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(l.substring(0, eq).strip(), value);
        }
        return env;
    }
}
