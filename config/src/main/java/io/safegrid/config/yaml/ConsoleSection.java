package io.safegrid.config.yaml;

import io.safegrid.config.ConsoleConfig;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code console:}, the operators' screen: its map and its video wall; left out, the defaults. */
final class ConsoleSection {
    /** Larger than any county's simplified outline; the whole file goes to every browser that opens the map. */
    static final long MAX_BOUNDARIES_BYTES = 20L << 20;
    private static final Set<String> KINDS = Set.of("county", "township");
    private static final Set<String> SHAPES = Set.of("Polygon", "MultiPolygon");

    private ConsoleSection() {
    }

    static ConsoleConfig read(Doc doc, Node yaml, Grid grid) {
        ConsoleConfig d = ConsoleConfig.defaults();
        MapReader m = doc.map(yaml, "console", "map", "wall");
        MapReader map = m.map("map", "boundaries", "tiles");
        Path boundaries = map.has("boundaries") ? map.readableFile("boundaries") : null;
        if (boundaries != null) {
            String why = boundariesProblem(boundaries, grid);
            if (why != null) {
                doc.error(map.at("boundaries"), map.path("boundaries"), boundaries + ": " + why);
            }
        }
        String tiles = map.string("tiles", null);
        if (tiles != null && (!(tiles.startsWith("http://") || tiles.startsWith("https://"))
                || !tiles.contains("{z}") || !tiles.contains("{x}") || !tiles.contains("{y}"))) {
            doc.error(map.at("tiles"), map.path("tiles"), "expected an http(s) URL with {z}, {x} and {y}, e.g. "
                    + "http://tiles.county.lan/{z}/{x}/{y}.png");
            tiles = null;
        }
        MapReader wall = m.map("wall", "max-viewers");
        int viewers = wall.integer("max-viewers", d.wallMaxViewers(), 1, 10_000);
        return new ConsoleConfig(boundaries, tiles, viewers);
    }

    /**
     * What is wrong with a boundaries file, or null: a GeoJSON FeatureCollection of polygons whose
     * {@code properties.kind} is county or township and whose {@code properties.path} is a node of the grid.
     */
    static String boundariesProblem(Path file, Grid grid) {
        Object json;
        try {
            if (Files.size(file) > MAX_BOUNDARIES_BYTES) {
                return "larger than " + (MAX_BOUNDARIES_BYTES >> 20) + " MB; simplify it";
            }
            json = new Load(LoadSettings.builder().setLabel(file.toString()).setCodePointLimit(Integer.MAX_VALUE).build())
                    .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "cannot read it: " + e.getMessage();
        } catch (YamlEngineException e) {
            return "not valid JSON: " + e.getMessage().lines().findFirst().orElse("");
        }
        if (!(json instanceof Map<?, ?> top) || !"FeatureCollection".equals(top.get("type"))) {
            return "expected a GeoJSON FeatureCollection";
        }
        if (!(top.get("features") instanceof List<?> features)) {
            return "expected a features list";
        }
        boolean county = false;
        for (int i = 0; i < features.size(); i++) {
            String at = "features[" + i + "]";
            if (!(features.get(i) instanceof Map<?, ?> f) || !(f.get("properties") instanceof Map<?, ?> p)) {
                return at + ": expected a Feature with properties";
            }
            Object kind = p.get("kind");
            if (!KINDS.contains(String.valueOf(kind))) {
                return at + ".properties.kind: expected county or township, got " + kind;
            }
            county |= "county".equals(kind);
            Object path = p.get("path");
            GridPath gp;
            try {
                gp = GridPath.parse(String.valueOf(path));
            } catch (IllegalArgumentException e) {
                return at + ".properties.path: not a grid path: " + path;
            }
            if (!grid.contains(gp)) {
                return at + ".properties.path: " + path + " is not a node of the grid";
            }
            if (!(f.get("geometry") instanceof Map<?, ?> g) || !SHAPES.contains(String.valueOf(g.get("type")))
                    || !(g.get("coordinates") instanceof List<?>)) {
                return at + ".geometry: expected a Polygon or MultiPolygon with coordinates";
            }
        }
        return county ? null : "no feature with properties.kind county (the outline)";
    }
}
