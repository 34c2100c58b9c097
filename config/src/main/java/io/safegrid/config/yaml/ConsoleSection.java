package io.safegrid.config.yaml;

import io.safegrid.config.ConsoleConfig;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code console:}, the operators' screen: its map and its video wall; left out, the defaults. */
final class ConsoleSection {
    private ConsoleSection() {
    }

    static ConsoleConfig read(Doc doc, Node yaml) {
        ConsoleConfig d = ConsoleConfig.defaults();
        MapReader m = doc.map(yaml, "console", "map", "wall");
        MapReader wall = m.map("wall", "max-viewers");
        int viewers = wall.integer("max-viewers", d.wallMaxViewers(), 1, 10_000);
        return new ConsoleConfig(d.mapBoundaries(), d.mapTiles(), viewers);
    }
}
