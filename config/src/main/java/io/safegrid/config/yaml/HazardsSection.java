package io.safegrid.config.yaml;

import io.safegrid.config.HazardsConfig;
import java.time.Duration;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code hazards:}, the hazard register's store, photo limits and deadline reminders; left out, the defaults. */
final class HazardsSection {
    private HazardsSection() {
    }

    static HazardsConfig read(Doc doc, Node yaml) {
        HazardsConfig d = HazardsConfig.defaults();
        MapReader m = doc.map(yaml, "hazards", "store", "photo-max-kb", "photo-types", "photos-per-hazard",
                "warn-before", "climb-after", "scan-every");
        MapReader store = m.map("store", "url", "user", "password");
        String url = store.string("url", null);
        if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            doc.error(store.at("url"), store.path("url"), "expected a jdbc:postgresql: or jdbc:h2: URL");
        }
        int kb = m.integer("photo-max-kb", d.photoMaxBytes() >> 10, 16, 65_536);
        List<String> types = m.has("photo-types") ? m.strings("photo-types") : d.photoTypes();
        for (String t : types) {
            if (!HazardsConfig.TYPES.contains(t)) {
                doc.error(m.at("photo-types"), m.path("photo-types"), "unknown image type '" + t + "' (jpeg, png, webp)");
            }
        }
        int perHazard = m.integer("photos-per-hazard", d.photosPerHazard(), 1, 1000);
        return new HazardsConfig(url, store.string("user", null), store.string("password", null), kb << 10,
                types.stream().filter(HazardsConfig.TYPES::contains).toList(), perHazard,
                positive(doc, m, "warn-before", d.warnBefore()), positive(doc, m, "climb-after", d.climbAfter()),
                positive(doc, m, "scan-every", d.scanEvery()));
    }

    private static Duration positive(Doc doc, MapReader m, String key, Duration def) {
        Duration v = m.duration(key, def);
        if (v == null || v.isZero() || v.isNegative()) {
            if (v != null) {
                doc.error(m.at(key), m.path(key), "must be above 0");
            }
            return def;
        }
        return v;
    }
}
