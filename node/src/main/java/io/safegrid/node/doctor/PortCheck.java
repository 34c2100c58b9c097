package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import io.safegrid.config.RecordConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Every port the node's roles will listen on can be bound now (nothing else holds it, the address is local). */
public final class PortCheck implements Check {

    /** A listener the node opens: the setting that names it, where, and whether it takes UDP too. */
    record Listener(String key, String host, int port, boolean udp) {
    }

    @Override
    public String titleKey() { return "check.ports"; }

    @Override
    public List<Finding> run(Deployment d, Set<String> roles) {
        List<Finding> out = new ArrayList<>();
        for (Listener l : listeners(d, roles)) {
            out.add(probe(l));
        }
        return out.isEmpty() ? List.of(Finding.ok(null, "port.none")) : out;
    }

    static List<Listener> listeners(Deployment d, Set<String> roles) {
        String bind = d.node().bindAddress();
        List<Listener> all = new ArrayList<>();
        all.add(new Listener("node.http-port", bind, d.node().httpPort(), false));   // every node answers /health
        if (roles.contains("ingest")) {
            all.add(new Listener("node.mqtt-port", bind, d.node().mqttPort(), false));
            all.add(new Listener("node.hj212-port", bind, d.node().hj212Port(), false));
            all.add(new Listener("node.ingest-http-port", bind, d.node().ingestHttpPort(), false));
            all.add(new Listener("node.video-push-port", bind, d.node().videoPushPort(), false));
            if (d.gb28181().enabled()) {
                String a = d.gb28181().address() == null ? bind : d.gb28181().address();
                all.add(new Listener("gb28181.listen-port", a, d.gb28181().port(), true));
            }
        }
        RecordConfig r = d.record();
        if (roles.contains("alerting") && !"influxdb".equals(r.target())) {
            all.add(new Listener("record.questdb-http-port", "127.0.0.1", r.questDbHttpPort(), false));
        }
        if (d.cascade().enabled()) {
            all.add(new Listener("cascade.listen-port", bind, d.cascade().listenPort(), false));
        }
        all.removeIf(l -> l.port() <= 0);   // 0 picks a free port, -1 is off
        return all;
    }

    static Finding probe(Listener l) {
        String port = Integer.toString(l.port());
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(l.host(), l.port()));
            if (l.udp()) {
                try (DatagramSocket u = new DatagramSocket(null)) {
                    u.setReuseAddress(true);
                    u.bind(new InetSocketAddress(l.host(), l.port()));
                }
            }
            return Finding.ok(l.key(), "port.free", l.host(), port);
        } catch (BindException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("in use")) {
                return Finding.fail(l.key(), "port.taken", l.host(), port);
            }
            return Finding.fail(l.key(), "port.unbindable", l.host(), port, why);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return Finding.fail(l.key(), "port.unbindable", l.host(), port, String.valueOf(e.getMessage()));
        }
    }
}
