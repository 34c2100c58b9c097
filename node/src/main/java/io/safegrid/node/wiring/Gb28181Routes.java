package io.safegrid.node.wiring;

import io.safegrid.console.Console;
import io.safegrid.console.session.Principal;
import io.safegrid.ingest.gb28181.Gb28181Server;
import io.safegrid.ingest.gb28181.device.CatalogChannel;
import io.safegrid.ingest.gb28181.device.GbDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/gb28181/devices}: the GB/T 28181 devices a logged-in user's scope covers, with their
 * registration, liveness, catalog channels (and where the config places each), and the channels
 * no config places yet, for an operator to bind. Read-only.
 */
final class Gb28181Routes {
    private Gb28181Routes() {
    }

    static void add(Console console, Gb28181Server server) {
        console.router().get("/api/gb28181/devices", console.guard((r, user) -> console.json(view(server, user))));
    }

    static Map<String, Object> view(Gb28181Server server, Principal user) {
        List<Map<String, Object>> devices = new ArrayList<>();
        List<Map<String, Object>> unbound = new ArrayList<>();
        for (GbDevice d : server.devices()) {
            if (!user.sees(d.config().grid())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("name", d.config().name());
            m.put("grid", d.config().grid().toString());
            m.put("online", d.online());
            m.put("transport", d.transport());
            m.put("address", d.host() == null ? null : d.host() + ":" + d.port());
            m.put("registeredAt", str(d.registeredAt()));
            m.put("expiresAt", str(d.expiresAt()));
            m.put("lastKeepalive", str(d.lastKeepalive()));
            m.put("info", d.info());
            List<Map<String, Object>> channels = new ArrayList<>();
            for (CatalogChannel c : d.channels()) {
                Map<String, Object> cm = channel(c);
                channels.add(cm);
                if (!c.bound()) {
                    unbound.add(cm);
                }
            }
            m.put("channels", channels);
            devices.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("devices", devices);
        body.put("unboundChannels", unbound);
        return body;
    }

    private static Map<String, Object> channel(CatalogChannel c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("deviceId", c.deviceId());
        m.put("name", c.name());
        m.put("status", c.status());
        m.put("manufacturer", c.manufacturer());
        m.put("model", c.model());
        m.put("grid", c.grid() == null ? null : c.grid().toString());
        return m;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
