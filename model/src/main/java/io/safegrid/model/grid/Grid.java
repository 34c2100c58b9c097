package io.safegrid.model.grid;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable grid tree, indexed by path. */
public final class Grid {
    private final Map<GridPath, GridNode> nodes;
    private final Map<GridPath, List<GridNode>> children;

    public Grid(Collection<GridNode> all) {
        Map<GridPath, GridNode> byPath = new LinkedHashMap<>();
        for (GridNode n : all) {
            if (byPath.putIfAbsent(n.path(), n) != null) {
                throw new IllegalArgumentException("duplicate grid node " + n.path());
            }
        }
        Map<GridPath, List<GridNode>> kids = new LinkedHashMap<>();
        for (GridNode n : byPath.values()) {
            GridPath parent = n.parent();
            if (parent != null) {
                if (!byPath.containsKey(parent)) {
                    throw new IllegalArgumentException("grid node " + n.path() + " has no parent " + parent);
                }
                kids.computeIfAbsent(parent, p -> new ArrayList<>()).add(n);
            }
        }
        kids.replaceAll((k, v) -> List.copyOf(v));
        this.nodes = Collections.unmodifiableMap(byPath);
        this.children = Collections.unmodifiableMap(kids);
    }

    public Optional<GridNode> node(GridPath path) { return Optional.ofNullable(nodes.get(path)); }

    public boolean contains(GridPath path) { return nodes.containsKey(path); }

    public Collection<GridNode> nodes() { return nodes.values(); }

    public List<GridNode> children(GridPath path) { return children.getOrDefault(path, List.of()); }

    public List<GridNode> roots() {
        return nodes.values().stream().filter(n -> n.path().isRoot()).toList();
    }

    public List<GridNode> ofKind(GridKind kind) {
        return nodes.values().stream().filter(n -> n.kind() == kind).toList();
    }

    /** The node and everything below it. */
    public List<GridNode> subtree(GridPath path) {
        return nodes.values().stream().filter(n -> n.path().isWithin(path)).toList();
    }

    /** The chain an alarm climbs: the node itself, then each ancestor up to the county. */
    public List<GridNode> chain(GridPath path) {
        List<GridNode> out = new ArrayList<>();
        for (GridPath p : path.selfAndAncestors()) {
            GridNode n = nodes.get(p);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** The nearest enterprise at or above this path, if any. */
    public Optional<GridNode> enterpriseOf(GridPath path) {
        return chain(path).stream().filter(n -> n.kind() == GridKind.ENTERPRISE).findFirst();
    }

    public int size() { return nodes.size(); }
}
