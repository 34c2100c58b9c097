package io.safegrid.config.yaml;

import io.safegrid.config.AlarmsConfig;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code alarms:}, the alarm store; left out, the embedded H2 file in the data dir. */
final class AlarmsSection {
    private AlarmsSection() {
    }

    static AlarmsConfig read(Doc doc, Node yaml) {
        MapReader m = doc.map(yaml, "alarms", "store");
        MapReader store = m.map("store", "url", "user", "password");
        String url = store.string("url", null);
        if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            doc.error(store.at("url"), store.path("url"), "expected a jdbc:postgresql: or jdbc:h2: URL");
        }
        return new AlarmsConfig(url, store.string("user", null), store.string("password", null));
    }
}
