package io.safegrid.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code console:}: the video wall's viewer limit, the map's boundaries file and tile URL. */
class ConsoleConfigTest {
    private static final String HEAD = VideoConfigTest.HEAD;

    @TempDir
    Path dir;

    static Deployment read(String yaml) {
        return VideoConfigTest.read(yaml);
    }

    static List<String> errors(String yaml) {
        return VideoConfigTest.errors(yaml);
    }

    @Test
    void leftOutItServesSixteenViewersAndTheDemoMap() {
        assertThat(read(HEAD).console()).isEqualTo(ConsoleConfig.defaults());
        assertThat(ConsoleConfig.defaults().wallMaxViewers()).isEqualTo(16);
    }

    @Test
    void theViewerLimitIsReadAndMustBePositive() {
        assertThat(read(HEAD + "console: {wall: {max-viewers: 40}}\n").console().wallMaxViewers()).isEqualTo(40);
        assertThat(errors(HEAD + "console:\n  wall: {max-viewers: 0}\n"))
                .anySatisfy(e -> assertThat(e).contains("county.yaml:8:").contains("console.wall.max-viewers"));
        assertThat(errors(HEAD + "console: {wall: {viewers: 3}}\n")).anySatisfy(e -> assertThat(e).contains("viewers"));
    }

    static final String TOWNS = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"kind": "county", "path": "xian"},
               "geometry": {"type": "Polygon", "coordinates": [[[111, 36], [111.2, 36], [111.2, 36.2], [111, 36]]]}},
              {"type": "Feature", "properties": {"kind": "%s", "path": "%s"},
               "geometry": {"type": "%s", "coordinates": [[[111, 36], [111.1, 36], [111.1, 36.1], [111, 36]]]}}]}
            """;

    @Test
    void theBoundariesFileAndTheTileUrlAreRead() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("xian.geojson"), TOWNS.formatted("township", "xian/plant", "Polygon"));
        ConsoleConfig c = read(HEAD + "console:\n  map:\n    boundaries: " + file + "\n    tiles: http://tiles.lan/{z}/{x}/{y}.png\n").console();
        assertThat(c.mapBoundaries()).isEqualTo(file);
        assertThat(c.mapTiles()).isEqualTo("http://tiles.lan/{z}/{x}/{y}.png");
    }

    @Test
    void aWrongBoundariesFileIsNamedWithItsLineFieldAndWhatIsWrong() throws Exception {
        String at = "county.yaml:9: console.map.boundaries: ";
        assertThat(errors(HEAD + "console:\n  map:\n    boundaries: " + dir.resolve("missing.geojson") + "\n"))
                .containsExactly(at + "cannot read file '" + dir.resolve("missing.geojson") + "'");
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.geojson"), "{\"type\": \"FeatureCollection\", \"features\": [");
        assertThat(errors(HEAD + "console:\n  map:\n    boundaries: " + bad + "\n"))
                .singleElement().satisfies(e -> assertThat(e).startsWith(at + bad + ": not valid JSON"));
        Path kind = java.nio.file.Files.writeString(dir.resolve("kind.geojson"), TOWNS.formatted("village", "xian/plant", "Polygon"));
        assertThat(errors(HEAD + "console:\n  map:\n    boundaries: " + kind + "\n"))
                .containsExactly(at + kind + ": features[1].properties.kind: expected county or township, got village");
        Path path = java.nio.file.Files.writeString(dir.resolve("path.geojson"), TOWNS.formatted("township", "xian/elsewhere", "Polygon"));
        assertThat(errors(HEAD + "console:\n  map:\n    boundaries: " + path + "\n"))
                .containsExactly(at + path + ": features[1].properties.path: xian/elsewhere is not a node of the grid");
        Path shape = java.nio.file.Files.writeString(dir.resolve("shape.geojson"), TOWNS.formatted("township", "xian/plant", "Point"));
        assertThat(errors(HEAD + "console:\n  map:\n    boundaries: " + shape + "\n"))
                .containsExactly(at + shape + ": features[1].geometry: expected a Polygon or MultiPolygon with coordinates");
        assertThat(errors(HEAD + "console:\n  map:\n    tiles: ftp://tiles.lan/{z}/{x}.png\n"))
                .singleElement().satisfies(e -> assertThat(e).startsWith("county.yaml:9: console.map.tiles: expected an http(s) URL"));
    }

    @Test
    void theDemoCountysBuiltInOutlineIsAValidBoundariesFile() throws Exception {
        Path demo = dir.resolve("demo.geojson");
        try (var in = getClass().getResourceAsStream("/io/safegrid/config/demo/demo-county.geojson")) {
            java.nio.file.Files.copy(in, demo);
        }
        Deployment d = read(io.safegrid.config.demo.DemoCounty.text() + "\nconsole:\n  map:\n    boundaries: " + demo + "\n");
        assertThat(d.console().mapBoundaries()).isEqualTo(demo);
    }
}
