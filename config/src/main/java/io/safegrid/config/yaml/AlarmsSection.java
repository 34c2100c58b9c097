package io.safegrid.config.yaml;

import io.safegrid.config.AlarmsConfig;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code alarms:}, the alarm store; left out, the embedded H2 file in the data dir. */
final class AlarmsSection {
    private AlarmsSection() {
    }

    static AlarmsConfig read(Doc doc, Node yaml) {
        MapReader m = doc.map(yaml, "alarms", "store", "standby");
        MapReader store = m.map("store", "url", "user", "password");
        String url = store.string("url", null);
        if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            doc.error(store.at("url"), store.path("url"), "expected a jdbc:postgresql: or jdbc:h2: URL");
        }
        boolean standby = Boolean.TRUE.equals(m.bool("standby", false));
        if (standby && (url == null || !url.startsWith("jdbc:postgresql:"))) {
            doc.error(m.at("standby"), m.path("standby"), "a standby needs the alarm store on PostgreSQL (alarms.store.url)");
        }
        return new AlarmsConfig(url, store.string("user", null), store.string("password", null), standby);
    }
}
