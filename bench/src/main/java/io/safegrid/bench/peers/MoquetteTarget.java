package io.safegrid.bench.peers;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Properties;

/**
 * Moquette 0.17, embedded, without persistence, anonymous clients allowed, otherwise its defaults.
 * An intercept handler (Moquette's way to consume messages in-process) hands every PUBLISH to the sink.
 */
final class MoquetteTarget implements Target {
    private Server server;

    @Override
    public String name() { return "Moquette 0.17"; }

    @Override
    public void start(int port, ReadingSink sink) throws Exception {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        server = new Server();
        server.startServer(new MemoryConfig(p), List.of(new AbstractInterceptHandler() {
            @Override
            public String getID() { return "safegrid-bench"; }

            @Override
            public void onPublish(InterceptPublishMessage msg) {
                ByteBuf payload = msg.getPayload();
                try {
                    sink.publish(msg.getTopicName(), ByteBufUtil.getBytes(payload));
                } finally {
                    payload.release();   // Moquette hands each handler its own retained duplicate
                }
            }

            @Override
            public void onSessionLoopError(Throwable error) {
            }
        }));
    }

    @Override
    public void close() {
        if (server != null) {
            server.stopServer();
        }
    }
}
