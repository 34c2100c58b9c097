package io.safegrid.console.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The county map's boundaries for the overview: a GeoJSON FeatureCollection whose features carry
 * {@code kind} (county, township) and {@code path} (the grid node). From the deployment's file when
 * one is set ({@code console.map.boundaries}); otherwise the demo county's simplified one, but only for
 * a grid whose root is that county. The browser draws it with ECharts' geo component: no tile server
 * is needed. When {@code console.map.tiles} names one, its tiles are fetched by the node and served at
 * {@code /api/v1/map/tiles/{z}/{x}/{y}}, so the page stays under its own-origin policy and operators'
 * browsers need no route to the tile server.
 */
public final class MapRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(MapRoutes.class);
    /** The demo county's simplified outline, shipped with the demo's config. */
    private static final String DEMO = "/io/safegrid/config/demo/demo-county.geojson";
    static final String TILES = "/api/v1/map/tiles/{z}/{x}/{y}";
    /** Tiles kept in memory: a county at the zoom levels people use is a few hundred. */
    private static final int CACHED_TILES = 1024;
    private static final int MAX_TILE_BYTES = 1 << 20;

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final Supplier<MapSettings> settings;
    private volatile Loaded loaded;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<String, Tile> tiles = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { return size() > CACHED_TILES; }
    });

    private record Tile(String type, byte[] bytes) { }

    /** Where the boundaries come from and an optional tile URL template ({@code …/{z}/{x}/{y}.png}). */
    public record MapSettings(Path boundaries, String tileUrl) { }

    private record Loaded(Path file, long modified, JsonNode json) { }

    public MapRoutes(Auth auth, Api api, ConfigSource config, Supplier<MapSettings> settings) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.settings = settings;
    }

    public void routes(Router router) {
        router.get("/api/v1/map", auth.guard((r, u) -> {
            MapSettings s = settings.get();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("boundaries", boundaries(s));
            out.put("tileUrl", s == null || s.tileUrl() == null ? null : TILES);
            return api.ok(out);
        }));
        router.get(TILES, auth.guard((r, u) -> tile(settings.get(), r.param("z"), r.param("x"), r.param("y"))));
    }

    private Response tile(MapSettings s, String zs, String xs, String ys) throws IOException, InterruptedException {
        if (s == null || s.tileUrl() == null) {
            throw new HttpError(404, "no tile server configured (console.map.tiles)");
        }
        int z;
        long x;
        long y;
        try {
            z = Integer.parseInt(zs);
            x = Long.parseLong(xs);
            y = Long.parseLong(ys);
        } catch (NumberFormatException e) {
            throw new HttpError(404, "no such tile");
        }
        if (z < 0 || z > 20 || x < 0 || y < 0 || x >= (1L << z) || y >= (1L << z)) {
            throw new HttpError(404, "no such tile");
        }
        String url = s.tileUrl().replace("{z}", Integer.toString(z)).replace("{x}", Long.toString(x)).replace("{y}", Long.toString(y));
        Tile t = tiles.get(url);
        if (t == null) {
            HttpResponse<byte[]> res;
            try {
                res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                LOG.warn("map tile {} not fetched: {}", url, e.toString());
                throw new HttpError(502, "the tile server did not answer");
            }
            String type = res.headers().firstValue("Content-Type").orElse("");
            if (res.statusCode() != 200 || !type.startsWith("image/") || res.body().length > MAX_TILE_BYTES) {
                LOG.warn("map tile {} refused: status {}, type {}, {} bytes", url, res.statusCode(), type, res.body().length);
                throw new HttpError(502, "the tile server gave no image");
            }
            t = new Tile(type, res.body());
            tiles.put(url, t);
        }
        return Response.bytes(t.type(), t.bytes());
    }

    private JsonNode boundaries(MapSettings s) throws IOException {
        if (s != null && s.boundaries() != null) {
            Path f = s.boundaries();
            long modified = Files.getLastModifiedTime(f).toMillis();
            Loaded l = loaded;
            if (l == null || !l.file().equals(f) || l.modified() != modified) {
                l = new Loaded(f, modified, api.mapper().readTree(f.toFile()));
                loaded = l;
                LOG.info("map boundaries read from {}", f);
            }
            return l.json();
        }
        JsonNode demo = demo();
        String root = config.current().grid().roots().isEmpty() ? null : config.current().grid().roots().get(0).id();
        for (JsonNode feature : demo.path("features")) {
            if ("county".equals(feature.at("/properties/kind").asText()) && feature.at("/properties/path").asText().equals(root)) {
                return demo;
            }
        }
        return null;
    }

    private JsonNode demo() {
        Loaded l = loaded;
        if (l == null || l.file() != null) {
            try (InputStream in = MapRoutes.class.getResourceAsStream(DEMO)) {
                l = new Loaded(null, 0, api.mapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loaded = l;
        }
        return l.json();
    }
}
