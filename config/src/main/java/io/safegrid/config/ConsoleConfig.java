package io.safegrid.config;

import java.nio.file.Path;

/**
 * {@code console:}, the operators' screen.
 *
 * @param mapBoundaries  GeoJSON FeatureCollection of the county and its townships ({@code map.boundaries});
 *                       null: the demo county's built-in outline, drawn only for that county
 * @param mapTiles       tile URL template drawn under the boundaries ({@code map.tiles},
 *                       {@code …/{z}/{x}/{y}.png}); null: no tiles, the map works offline
 * @param wallMaxViewers video viewers this node serves at once ({@code wall.max-viewers}): a video wall
 *                       or a single live view is one viewer however many cameras it shows
 */
public record ConsoleConfig(Path mapBoundaries, String mapTiles, int wallMaxViewers) {
    public static final int DEFAULT_WALL_MAX_VIEWERS = 16;

    public static ConsoleConfig defaults() {
        return new ConsoleConfig(null, null, DEFAULT_WALL_MAX_VIEWERS);
    }
}
