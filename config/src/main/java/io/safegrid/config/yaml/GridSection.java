package io.safegrid.config.yaml;

import io.safegrid.model.RiskGrade;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.GeoPoint;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code grid:}, the county's tree of responsibility. Children nest under {@code children:}; a
 * node's path is its ancestors' ids and its own. Enterprises (and sites) carry a profile whose
 * departments are checked once the whole tree is known.
 */
final class GridSection {
    private static final String[] KEYS = {"id", "kind", "name", "children", "industry", "location", "risk",
            "departments", "contact"};

    private final Doc doc;
    private final Refs refs;
    private final List<Pending> pending = new ArrayList<>();

    /** A profile waiting for its department references. */
    private record Pending(GridPath path, GridKind kind, String name, MapReader m, String industry, GeoPoint location,
                           RiskGrade risk, String contact) {
    }

    private GridSection(Doc doc, Refs refs) {
        this.doc = doc;
        this.refs = refs;
    }

    /** Reads the tree into {@code refs.grid} and returns it; an empty grid when unusable (reported). */
    static Grid read(Doc doc, Node root, Refs refs) {
        if (root == null || Doc.isNull(root)) {
            doc.problems.atLine(0, "grid", "required: the county and everything below it");
            return new Grid(List.of());
        }
        GridSection s = new GridSection(doc, refs);
        s.node(root, "grid", null, new Ids(doc, "grid"));
        s.resolveProfiles();
        return new Grid(refs.grid.values());
    }

    private void node(Node yaml, String path, GridPath parent, Ids siblings) {
        MapReader m = doc.map(yaml, path, KEYS);
        String id = m.required("id");
        GridKind kind = m.parsed("kind", GridKind::parse, "a grid kind (county, department, township, village, enterprise, site)");
        if (kind == null && !m.has("kind")) {
            m.missing("kind");
        }
        String name = m.string("name", id);
        boolean usable = siblings.accept(id, m.at("id"), m.path("id"), GridPath.SEGMENT) && kind != null;
        if (parent == null && kind != null && kind != GridKind.COUNTY) {
            doc.error(m.at("kind"), m.path("kind"), "the top of the grid must be the county, not a "
                    + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (parent != null && kind == GridKind.COUNTY) {
            doc.error(m.at("kind"), m.path("kind"), "only the top of the grid may be a county");
        }
        String pathId = usable ? id : salvage(id);
        GridPath self = pathId == null || kind == null ? null : (parent == null ? GridPath.of(pathId) : parent.child(pathId));
        boolean carriesProfile = kind == GridKind.ENTERPRISE || kind == GridKind.SITE;
        if (kind != null && !carriesProfile) {
            for (String k : List.of("industry", "location", "risk", "departments", "contact")) {
                if (m.has(k)) {
                    doc.error(m.keyNode(k), m.path(k), "only enterprises and sites have '" + k + "'");
                }
            }
        }
        if (self != null) {
            // placed now so the tree keeps document order; the profile replaces it once departments resolve
            refs.grid.put(self, new GridNode(self, kind, name, null));
            if (carriesProfile && hasProfile(m)) {
                String industry = m.string("industry");
                if (industry == null && kind == GridKind.ENTERPRISE) {
                    m.missing("industry");
                }
                pending.add(new Pending(self, kind, name, m, industry, location(m), m.parsed("risk", RiskGrade::parse,
                        "a risk grade (low, general, larger, major)"), m.string("contact")));
            } else {
                if (kind == GridKind.ENTERPRISE) {
                    m.missing("industry");
                }
            }
        }
        List<Node> children = m.list("children");
        Ids childIds = new Ids(doc, "grid");
        for (int i = 0; i < children.size(); i++) {
            if (self == null) {
                break; // children of a broken node would only repeat its error
            }
            node(children.get(i), m.path("children") + "[" + i + "]", self, childIds);
        }
    }

    /**
     * An id that only breaks the lower-case rule is reported but still read as its lower-case form,
     * so one capital letter at the top does not bury the rest of the file under "unknown grid node".
     */
    private static String salvage(String id) {
        if (id == null || GridPath.SEGMENT.matcher(id).matches()) {
            return null; // missing, or valid but a duplicate: skip it
        }
        String lower = id.toLowerCase(java.util.Locale.ROOT);
        return GridPath.SEGMENT.matcher(lower).matches() ? lower : null;
    }

    private static boolean hasProfile(MapReader m) {
        return m.has("industry") || m.has("location") || m.has("risk") || m.has("departments") || m.has("contact");
    }

    private GeoPoint location(MapReader m) {
        MapReader loc = m.map("location", "lat", "lon");
        if (!loc.present()) {
            return null;
        }
        Double lat = loc.number("lat");
        Double lon = loc.number("lon");
        if (lat == null || lon == null) {
            if (!loc.has("lat")) {
                loc.missing("lat");
            }
            if (!loc.has("lon")) {
                loc.missing("lon");
            }
            return null;
        }
        if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
            doc.error(loc.node(), loc.path(), "coordinates out of range: lat " + lat + ", lon " + lon);
            return null;
        }
        return new GeoPoint(lat, lon);
    }

    /** Enterprises go into the grid after the tree is read, so departments may be declared anywhere. */
    private void resolveProfiles() {
        for (Pending p : pending) {
            List<GridPath> departments = new ArrayList<>();
            List<Node> items = p.m.list("departments");
            for (int i = 0; i < items.size(); i++) {
                String itemPath = p.m.path("departments") + "[" + i + "]";
                GridPath d = refs.gridPath(doc, items.get(i), itemPath, doc.text(items.get(i), itemPath),
                        GridKind.DEPARTMENT);
                if (d != null) {
                    departments.add(d);
                }
            }
            refs.grid.put(p.path, new GridNode(p.path, p.kind, p.name,
                    new EnterpriseProfile(p.industry, p.location, p.risk, departments, p.contact)));
        }
    }
}
