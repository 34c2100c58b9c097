package io.safegrid.node.wiring;

import io.safegrid.console.Console;
import io.safegrid.config.Gb28181Config;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.session.Principal;
import io.safegrid.ingest.gb28181.Gb28181Server;
import io.safegrid.ingest.gb28181.control.PtzCmd;
import io.safegrid.ingest.gb28181.device.CatalogChannel;
import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.live.StreamStatus;
import io.safegrid.model.grid.GridPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/gb28181/devices}: the GB/T 28181 devices a logged-in user's scope covers, with their
 * registration, liveness, catalog channels (and where the config places each), and the channels
 * no config places yet, for an operator to bind; and PTZ control of a channel within the user's scope.
 */
final class Gb28181Routes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Gb28181Routes.class);
    private Gb28181Routes() {
    }

    static void add(Console console, Gb28181Server server) {
        console.router().get("/api/gb28181/devices", console.guard((r, user) -> console.json(view(server, user))));
        console.router().post("/api/gb28181/channels/{id}/ptz", console.guard((r, user) -> ptz(console, server, r, user)));
    }

    /**
     * {@code POST /api/gb28181/channels/{id}/ptz} with {@code {"move": "left", "speed": 128}}: one PTZ
     * instruction to the channel ({@code stop} ends a move). 403 for a channel outside the user's scope,
     * 404 for one no device reported, 409 while its device is not registered.
     */
    static io.safegrid.console.http.Response ptz(Console console, Gb28181Server server,
                                                 io.safegrid.console.http.Request r, Principal user) throws Exception {
        String id = r.param("id");
        GridPath where = gridOf(server, id);
        if (where == null) {
            throw new HttpError(404, "no GB/T 28181 channel " + id);
        }
        if (!user.sees(where)) {
            LOG.warn("{} ({}) asked to move channel {} at {}, outside their scope", user.name(), user.scope(), id, where);
            throw new HttpError(403, "channel " + id + " is outside your scope");
        }
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = console.json().readTree(r.body());
        } catch (java.io.IOException e) {
            throw new HttpError(400, "malformed JSON body");
        }
        PtzCmd.Move move = PtzCmd.Move.parse(body == null ? null : body.path("move").asText(null));
        int speed = body == null ? -1 : body.path("speed").asInt(128);
        if (move == null || speed < 0 || speed > 255) {
            throw new HttpError(400, "move is one of " + java.util.Arrays.toString(PtzCmd.Move.values()).toLowerCase(java.util.Locale.ROOT)
                    + " and speed 0-255");
        }
        boolean sent;
        try {
            sent = server.ptz(id, move, speed);
        } catch (IllegalStateException offline) {
            throw new HttpError(409, "the device of channel " + id + " is not registered");
        }
        if (!sent) {
            throw new HttpError(503, "the PTZ instruction could not be sent");
        }
        LOG.info("{} moved channel {}: {} at speed {}", user.name(), id, move, speed);
        return console.json(Map.of("channel", id, "move", move.name().toLowerCase(java.util.Locale.ROOT), "speed", speed));
    }

    /** Where a channel (or a device registered as one camera) sits in the grid; null when unknown. */
    static GridPath gridOf(Gb28181Server server, String id) {
        for (GbDevice d : server.devices()) {
            if (d.id().equals(id)) {
                return d.config().grid();
            }
            for (CatalogChannel c : d.channels()) {
                if (c.id().equals(id)) {
                    return c.grid() != null ? c.grid() : d.config().grid();
                }
            }
        }
        return null;
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
                cm.put("camera", cameraOf(d, c.id()));
                cm.put("stream", stream(server.streamStatus(c.id())));
                // the console shows PTZ buttons only where the ptz route would not answer 403
                cm.put("ptz", user.sees(c.grid() != null ? c.grid() : d.config().grid()));
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

    private static String cameraOf(GbDevice d, String channelId) {
        return d.config().channels().stream().filter(ch -> ch.id().equals(channelId)).map(Gb28181Config.Channel::camera)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** The channel's live video: state, and for a failure the step (invite, rtp, ssrc, decode) and its detail. */
    private static Map<String, Object> stream(StreamStatus s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", s.state());
        m.put("step", s.step());
        m.put("detail", s.detail());
        m.put("since", str(s.since()));
        m.put("firstPictureMs", s.firstPicture() == null ? null : s.firstPicture().toMillis());
        m.put("rtpPort", s.rtpPort());
        m.put("transport", s.tcp() ? "TCP" : "UDP");
        return m;
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
