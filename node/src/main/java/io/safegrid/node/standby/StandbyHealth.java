package io.safegrid.node.standby;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} on the console's address while the node stands by for the alarm store another
 * alerting node holds: the node has not finished starting (its console binds only once it is
 * active), yet a supervisor (Docker's health check, a load balancer) must tell a healthy standby from
 * a dead node. Answers 200 with {@code "status":"STANDBY"}; every other path 503. Closed just before
 * the console takes the port.
 */
public final class StandbyHealth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyHealth.class);
    private final HttpServer server;

    private StandbyHealth(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code bindAddress:port} (0: any free port) until closed. */
    public static StandbyHealth start(String bindAddress, int port, String nodeId) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        byte[] standing = ("{\"status\":\"STANDBY\",\"role\":\"standby\",\"node\":\"" + nodeId.replace("\"", "")
                + "\",\"waitingFor\":\"alarm store\"}").getBytes(StandardCharsets.UTF_8);
        byte[] notYet = "{\"status\":\"STANDBY\",\"error\":\"this node stands by; its console starts when it takes over\"}"
                .getBytes(StandardCharsets.UTF_8);
        s.createContext("/", ex -> {
            try (ex) {
                boolean health = "/health".equals(ex.getRequestURI().getPath());
                byte[] body = health ? standing : notYet;
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(health ? 200 : 503, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            }
        });
        s.start();
        LOG.info("standing by: /health answers STANDBY on {}:{} until this node takes over", bindAddress,
                s.getAddress().getPort());
        return new StandbyHealth(s);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
