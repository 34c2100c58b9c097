package io.safegrid.model.grid;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The stable address of a grid node: its ids from the county down, e.g.
 * {@code puxian/keliqiao/village-3/coalmine-7}. Paths are what every stage stores and tags with,
 * so they never contain anything but lower-case ids. In JSON (the bus, the county link, the console)
 * a path is its text, as {@link #toString()} writes it and {@link #parse} reads it.
 */
public record GridPath(List<String> segments) implements Comparable<GridPath> {

    /** What one id may look like: lower-case letters, digits, '-' and '_'. */
    public static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public GridPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a grid path has at least one segment");
        }
        for (String s : segments) {
            if (!isId(s)) {
                throw new IllegalArgumentException("bad grid id '" + s + "': use a-z, 0-9, '-' and '_'");
            }
        }
    }

    /**
     * Whether {@code s} matches {@link #SEGMENT}, checked without a regex: every reading, finding and
     * message off the bus builds a path, so this runs on the hot path of every stage.
     */
    public static boolean isId(String s) {
        int n = s.length();
        if (n == 0 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || i > 0 && (c == '-' || c == '_');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @JsonCreator
    public static GridPath parse(String text) {
        String t = text.strip();
        if (t.startsWith("/")) {
            t = t.substring(1);
        }
        if (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return new GridPath(List.of(t.split("/", -1)));
    }

    public static GridPath of(String... segments) { return new GridPath(List.of(segments)); }

    public String id() { return segments.get(segments.size() - 1); }

    public int depth() { return segments.size(); }

    public boolean isRoot() { return segments.size() == 1; }

    /** The parent, or null at the root. */
    public GridPath parent() {
        return isRoot() ? null : new GridPath(segments.subList(0, segments.size() - 1));
    }

    public GridPath child(String id) {
        List<String> s = new ArrayList<>(segments);
        s.add(id);
        return new GridPath(s);
    }

    /** True when this path is {@code ancestor} or lies below it. */
    public boolean isWithin(GridPath ancestor) {
        return segments.size() >= ancestor.segments.size()
                && segments.subList(0, ancestor.segments.size()).equals(ancestor.segments);
    }

    /** This path and its ancestors, nearest first: enterprise, village, township, county. */
    public List<GridPath> selfAndAncestors() {
        List<GridPath> out = new ArrayList<>();
        for (GridPath p = this; p != null; p = p.parent()) {
            out.add(p);
        }
        return out;
    }

    @Override
    public int compareTo(GridPath o) { return toString().compareTo(o.toString()); }

    @JsonValue
    @Override
    public String toString() { return String.join("/", segments); }
}
