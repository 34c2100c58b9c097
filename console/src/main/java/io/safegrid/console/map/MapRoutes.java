package io.safegrid.console.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The county map's boundaries for the overview: a GeoJSON FeatureCollection whose features carry
 * {@code kind} (county, township) and {@code path} (the grid node). From the deployment's file when
 * one is set; otherwise the demo county's simplified one, but only for a grid whose root is that
 * county. The browser draws it with ECharts' geo component: no tile server is needed.
 */
public final class MapRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(MapRoutes.class);
    private static final String DEMO = "demo-county.geojson";

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final Supplier<MapSettings> settings;
    private volatile Loaded loaded;

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
            out.put("tileUrl", s == null ? null : s.tileUrl());
            return api.ok(out);
        }));
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
