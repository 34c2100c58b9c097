package io.safegrid.config.yaml;

import io.safegrid.config.CascadeConfig;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code cascade:}, the link to the county (upstream) and the enterprises this node accepts (peers). */
final class CascadeSection {
    private CascadeSection() {
    }

    static CascadeConfig read(Doc doc, Node yaml, Grid grid) {
        CascadeConfig d = CascadeConfig.none();
        MapReader m = doc.map(yaml, "cascade", "upstream", "listen-port", "peers", "queue-max-mb", "reconnect-max", "tls");
        if (!m.present()) {
            return d;
        }
        CascadeConfig.Upstream upstream = m.has("upstream")
                ? upstream(doc, m.map("upstream", "address", "peer", "token", "tls", "tls-trust")) : null;
        int listenPort = m.integer("listen-port", d.listenPort(), -1, 65535);
        List<CascadeConfig.Peer> peers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<Node> items = m.list("peers");
        for (int i = 0; i < items.size(); i++) {
            MapReader p = new MapReader(doc, items.get(i), m.path("peers") + "[" + i + "]",
                    List.of("id", "token-hash", "grid"));
            CascadeConfig.Peer peer = peer(doc, p, grid);
            if (peer != null && !ids.add(peer.id())) {
                doc.error(p.at("id"), p.path("id"), "duplicate peer id '" + peer.id() + "'");
            } else if (peer != null) {
                peers.add(peer);
            }
        }
        if (!peers.isEmpty() && listenPort < 0) {
            doc.error(m.at("peers"), m.path("listen-port"), "required when peers are listed (0 picks a free port)");
        }
        int queueMb = m.integer("queue-max-mb", (int) (d.queueMaxBytes() >> 20), 1, 1_000_000);
        Duration reconnectMax = m.duration("reconnect-max", d.reconnectMax());
        if (reconnectMax != null && reconnectMax.toMillis() < 100) {
            doc.error(m.at("reconnect-max"), m.path("reconnect-max"), "must be at least 100ms");
            reconnectMax = d.reconnectMax();
        }
        CascadeConfig.ServerTls tls = null;
        if (m.has("tls")) {
            MapReader t = m.map("tls", "cert", "key");
            Path cert = t.readableFile("cert");
            Path key = t.readableFile("key");
            tls = cert != null && key != null ? new CascadeConfig.ServerTls(cert, key) : null;
            if (listenPort < 0) {
                doc.error(m.at("tls"), m.path("listen-port"), "required with tls: it is the certificate of the port enterprises connect to");
            }
        }
        return new CascadeConfig(upstream, listenPort, peers, ((long) queueMb) << 20, reconnectMax, tls);
    }

    private static CascadeConfig.Upstream upstream(Doc doc, MapReader u) {
        String address = u.required("address");
        String peer = u.required("peer");
        String token = u.required("token");
        Path trust = u.has("tls-trust") ? u.readableFile("tls-trust") : null;
        // a private CA to trust only makes sense over TLS: naming one turns it on
        boolean tls = u.bool("tls", u.has("tls-trust"));
        if (u.has("tls-trust") && !tls) {
            doc.error(u.at("tls"), u.path("tls"), "tls-trust is set but tls is false");
        }
        if (peer != null && !GridPath.SEGMENT.matcher(peer).matches()) {
            doc.error(u.at("peer"), u.path("peer"), "bad peer id '" + peer + "': use a-z, 0-9, '-' and '_'");
        }
        if (address == null) {
            return null;
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            doc.error(u.at("address"), u.path("address"), "expected host:port, got '" + address + "'");
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            doc.error(u.at("address"), u.path("address"), "the port of '" + address + "' must be 1..65535");
            return null;
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return peer == null || token == null ? null : new CascadeConfig.Upstream(host, port, peer, token, tls, trust);
    }

    private static CascadeConfig.Peer peer(Doc doc, MapReader p, Grid grid) {
        String id = p.required("id");
        String hash = p.required("token-hash");
        String path = p.required("grid");
        boolean ok = id != null && hash != null && path != null;
        if (id != null && !GridPath.SEGMENT.matcher(id).matches()) {
            doc.error(p.at("id"), p.path("id"), "bad peer id '" + id + "': use a-z, 0-9, '-' and '_'");
            ok = false;
        }
        if (hash != null && !PasswordHash.isWellFormed(hash)) {
            doc.error(p.at("token-hash"), p.path("token-hash"),
                    "not a pbkdf2-sha256 hash (make one with io.safegrid.config.auth.PasswordHash)");
            ok = false;
        }
        GridPath subtree = null;
        if (path != null) {
            try {
                subtree = GridPath.parse(path);
                if (!grid.contains(subtree)) {
                    doc.error(p.at("grid"), p.path("grid"), "no grid node '" + subtree + "'");
                    ok = false;
                }
            } catch (IllegalArgumentException e) {
                doc.error(p.at("grid"), p.path("grid"), e.getMessage());
                ok = false;
            }
        }
        return ok ? new CascadeConfig.Peer(id, hash, subtree) : null;
    }
}
