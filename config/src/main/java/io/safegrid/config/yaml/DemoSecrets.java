package io.safegrid.config.yaml;

import io.safegrid.config.ChannelDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.UserDef;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.config.demo.DemoCounty;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A deployment that is not a demo ({@code node.demo} not true) must not use what the bundled demo
 * county publishes: its login passwords (printed by {@code safegrid demo}, in the docs and the
 * repository), its device, data-logger and channel secrets, any secret starting {@code demo-}, or a
 * {@code ${NAME:-default}} whose default is one of these (a missing variable would silently bring
 * the demo secret back). Reported like every other problem, as {@code file:line: path: message}.
 *
 * <p>Users named like a demo login are checked against that login's published password (one PBKDF2
 * verification each); other users only against the demo's exact hashes.
 */
final class DemoSecrets {
    private static final Pattern FALLBACK = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*):-([^}]*)}");
    private static final Set<String> SECRET_KEYS = Set.of("secret", "pw", "password", "token");
    private static final String FIX = "; set a real one (or node.demo: true if this deployment is a demo)";

    /** What the bundled demo publishes; read once. */
    private record Published(Map<String, String> passwords, Set<String> hashes, Set<String> secrets) {
        static final Published DEMO = load();

        static Published load() {
            Map<String, String> passwords = new HashMap<>();
            DemoCounty.logins().forEach(l -> passwords.put(l.user(), l.password()));
            Deployment demo = DemoCounty.load(name -> null);
            Set<String> hashes = new HashSet<>();
            for (UserDef u : demo.users()) {
                if (u.passwordHash() != null) {
                    hashes.add(u.passwordHash());
                }
            }
            Set<String> secrets = new HashSet<>();
            for (DeviceAccess a : demo.access().values()) {
                if (a.secret() != null) {
                    secrets.add(a.secret());
                }
                if (a.hj212() != null && a.hj212().password() != null) {
                    secrets.add(a.hj212().password());
                }
            }
            for (ChannelDef c : demo.channels()) {
                c.settings().forEach((k, v) -> {
                    if (SECRET_KEYS.contains(k)) {
                        secrets.add(v);
                    }
                });
            }
            return new Published(Map.copyOf(passwords), Set.copyOf(hashes), Set.copyOf(secrets));
        }

        boolean secret(String v) {
            return v != null && (v.toLowerCase(Locale.ROOT).startsWith("demo-") || secrets.contains(v));
        }
    }

    private final Doc doc;
    private final Env env;

    private DemoSecrets(Doc doc, Env env) {
        this.doc = doc;
        this.env = env;
    }

    static void check(Doc doc, Env env, MapReader top) {
        DemoSecrets d = new DemoSecrets(doc, env);
        Published p = Published.DEMO;
        each(top, "sensors", (item, path) -> {
            d.secret(child(item, "secret"), path + ".secret", p);
            Node hj212 = child(item, "hj212");
            d.secret(child(hj212, "pw"), path + ".hj212.pw", p);
        });
        each(top, "cameras", (item, path) -> d.secret(child(item, "secret"), path + ".secret", p));
        each(top, "channels", (item, path) -> {
            for (String key : SECRET_KEYS) {
                d.secret(child(item, key), path + "." + key, p);
            }
        });
        each(top, "users", (item, path) -> d.user(item, path, p));
    }

    private void secret(Node node, String path, Published p) {
        if (!(node instanceof ScalarNode s)) {
            return;
        }
        String fallback = demoFallback(s.getValue(), p::secret);
        if (fallback != null) {
            doc.error(node, path, "falls back to the demo county's published secret when " + fallback + " is unset" + FIX);
            return;
        }
        String v = resolved(s);
        if (v != null && v.toLowerCase(Locale.ROOT).startsWith("demo-")) {
            doc.error(node, path, "a demo secret (demo-…)" + FIX);
        } else if (p.secret(v)) {
            doc.error(node, path, "the demo county's published secret" + FIX);
        }
    }

    private void user(Node item, String path, Published p) {
        Node hashNode = child(item, "password-hash");
        if (!(hashNode instanceof ScalarNode s)) {
            return;
        }
        String where = path + ".password-hash";
        String fallback = demoFallback(s.getValue(), p.hashes::contains);
        if (fallback != null) {
            doc.error(hashNode, where, "falls back to a demo login's password when " + fallback + " is unset" + FIX);
            return;
        }
        String hash = resolved(s);
        if (hash == null) {
            return;
        }
        String name = child(item, "name") instanceof ScalarNode n ? resolved(n) : null;
        String published = name == null ? null : p.passwords.get(name);
        if (p.hashes.contains(hash) || (published != null && PasswordHash.verify(published.toCharArray(), hash))) {
            doc.error(hashNode, where, "the demo county's published password (safegrid demo prints it)" + FIX);
        }
    }

    /** The variable whose {@code :-default} is a demo value, or null. */
    private static String demoFallback(String raw, java.util.function.Predicate<String> demo) {
        Matcher m = FALLBACK.matcher(raw);
        while (m.find()) {
            if (demo.test(m.group(2))) {
                return m.group(1);
            }
        }
        return null;
    }

    /** The value with ${ENV} resolved; null when a variable is unset (the section that reads it reports that). */
    private String resolved(ScalarNode s) {
        try {
            return env.resolve(s.getValue());
        } catch (Env.Unset e) {
            return null;
        }
    }

    private interface Item {
        void accept(Node item, String path);
    }

    private static void each(MapReader top, String key, Item action) {
        Node list = top.get(key);
        if (list instanceof org.snakeyaml.engine.v2.nodes.SequenceNode seq) {
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                action.accept(items.get(i), key + "[" + i + "]");
            }
        }
    }

    private static Node child(Node map, String key) {
        if (map instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }
}
