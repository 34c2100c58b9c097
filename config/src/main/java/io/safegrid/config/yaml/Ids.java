package io.safegrid.config.yaml;

import io.safegrid.model.grid.GridPath;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** Id formats and uniqueness within one list. */
final class Ids {
    /** Device ids become MQTT user names, topic levels and bus keys: keep them plain. */
    static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Doc doc;
    private final String what;
    private final Map<String, Integer> seen = new HashMap<>();

    Ids(Doc doc, String what) {
        this.doc = doc;
        this.what = what;
    }

    /** Checks format and uniqueness; false (reported) when the id cannot be used. */
    boolean accept(String id, Node at, String path, Pattern format) {
        if (id == null) {
            return false;
        }
        if (!format.matcher(id).matches()) {
            doc.error(at, path, "bad " + what + " id '" + id + "': " + (format == GridPath.SEGMENT
                    ? "use lower-case a-z, 0-9, '-' and '_' (at most 64)"
                    : "use a-z, A-Z, 0-9, '.', '-' and '_' (at most 64)"));
            return false;
        }
        Integer first = seen.putIfAbsent(id, Problems.line(at));
        if (first != null) {
            doc.error(at, path, "duplicate " + what + " id '" + id + "' (first at line " + first + ")");
            return false;
        }
        return true;
    }
}
