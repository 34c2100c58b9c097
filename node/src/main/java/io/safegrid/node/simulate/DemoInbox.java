package io.safegrid.node.simulate;

import com.sun.net.httpserver.HttpServer;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the county's webhook receiver and SMS gateway in the demo: every HTTP channel
 * whose URL points at this machine gets a receiver that logs what it is sent and answers as the
 * real service would, so the demo's notifications are really delivered and their outbox
 * entries turn "sent". A real deployment points its channels elsewhere and never starts this.
 */
public final class DemoInbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoInbox.class);
    private final List<HttpServer> servers = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();

    public static DemoInbox start(Deployment d) {
        DemoInbox inbox = new DemoInbox();
        Map<Integer, HttpServer> byPort = new HashMap<>();
        for (ChannelDef c : d.channels()) {
            String url = c.settings().get("url");
            if (url == null) {
                continue;
            }
            URI u = URI.create(url);
            if (!("127.0.0.1".equals(u.getHost()) || "localhost".equals(u.getHost())) || u.getPort() <= 0) {
                continue;
            }
            try {
                HttpServer server = byPort.get(u.getPort());
                if (server == null) {
                    server = HttpServer.create(new InetSocketAddress("127.0.0.1", u.getPort()), 16);
                    server.start();
                    byPort.put(u.getPort(), server);
                    inbox.servers.add(server);
                }
                String reply = c.type().equals("dingtalk") || c.type().equals("wecom") ? "{\"errcode\":0,\"errmsg\":\"ok\"}" : "{\"ok\":true}";
                server.createContext(u.getPath().isEmpty() ? "/" : u.getPath(), exchange -> {
                    try (InputStream in = exchange.getRequestBody()) {
                        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        inbox.received.incrementAndGet();
                        LOG.info("demo {} inbox received: {}", c.id(), body.length() > 300 ? body.substring(0, 300) + "…" : body);
                    }
                    byte[] out = reply.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, out.length);
                    exchange.getResponseBody().write(out);
                    exchange.close();
                });
                LOG.info("demo inbox for channel {} ({}) on {}", c.id(), c.type(), url);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("demo inbox for channel {} not started ({}): its notifications will be retried", c.id(), e.toString());
            }
        }
        return inbox;
    }

    public long received() { return received.get(); }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
