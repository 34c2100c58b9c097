package io.safegrid.cascade;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.safegrid.cascade.county.AnswerRelay;
import io.safegrid.cascade.county.PeerInbox;
import io.safegrid.cascade.forward.AnswerApplier;
import io.safegrid.cascade.forward.Forwarder;
import io.safegrid.cascade.link.LinkMetrics;
import io.safegrid.cascade.link.LinkServer;
import io.safegrid.cascade.link.UpstreamClient;
import io.safegrid.cascade.store.LinkStore;
import io.safegrid.config.CascadeConfig;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.bus.Bus;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enterprise-to-county cascade of one node, as its {@code cascade:} config asks (docs/cascade.md):
 * with an {@code upstream}, this node forwards its findings and people's alarm actions to the county
 * and applies the county's answers; with a {@code listen-port}, it accepts its {@code peers}' links,
 * publishes their findings on its own bus and sends its acknowledgements back down. Both at once
 * make a relay.
 *
 * <p>Wiring: {@code new Cascade(config, bus, registry, dataDir, alarmDesk)}, {@link #start()} after
 * alerting (so the desk is ready) and before analytics and ingest (so no finding passes unforwarded),
 * {@link #close()} in reverse. {@code alarmDesk} may be null on a node without alerting.
 */
public final class Cascade implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cascade.class);

    private final ConfigSource config;
    private final Bus bus;
    private final MeterRegistry registry;
    private final Path dataDir;
    private final AlarmDesk desk;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private EventLoopGroup group;
    private LinkStore store;
    private LinkServer server;
    private UpstreamClient client;

    /** @param dataDir where the link store lives, e.g. {@code <node data-dir>/cascade} */
    public Cascade(ConfigSource config, Bus bus, MeterRegistry registry, Path dataDir, AlarmDesk desk) {
        this.config = config;
        this.bus = bus;
        this.registry = registry;
        this.dataDir = dataDir;
        this.desk = desk;
    }

    public void start() throws Exception {
        CascadeConfig c = config.current().cascade();
        if (!c.enabled()) {
            LOG.info("cascade: not configured");
            return;
        }
        try {
            store = LinkStore.open(dataDir, config.current().alarms(), c.queueMaxBytes());
            running.push(store);
            group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            LinkMetrics metrics = new LinkMetrics(registry);
            if (c.listenPort() >= 0) {
                PeerInbox inbox = new PeerInbox(() -> config.current().cascade(), bus, desk, registry);
                server = new LinkServer(() -> config.current().cascade(), store, inbox, metrics);
                server.start(group, config.current().node().bindAddress(), c.listenPort());
                running.push(server);
                AnswerRelay relay = new AnswerRelay(() -> config.current().cascade(), bus, store, server::wake, metrics);
                relay.start();
                running.push(relay);
            }
            if (c.upstream() != null) {
                client = new UpstreamClient(c.upstream(), c.reconnectMax(), store, new AnswerApplier(desk, registry), metrics);
                Forwarder forwarder = new Forwarder(bus, store, client, metrics);
                forwarder.start();
                running.push(forwarder);
                client.start(group);
                running.push(client);
                LOG.info("cascade: forwarding to the county at {}:{} as '{}'; {} messages still queued", c.upstream().host(),
                        c.upstream().port(), c.upstream().peer(), store.depth(UpstreamClient.PEER));
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The port enterprise links connect to, or -1 when this node does not listen. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    /** Whether the link to the county is up (false on a node without an upstream). */
    public boolean isLinkedUpstream() {
        return client != null && client.isConnected();
    }

    /** Whether the named enterprise is linked to this node now. */
    public boolean isLinked(String peer) {
        return server != null && server.isConnected(peer);
    }

    @Override
    public void close() {
        // stop taking new work first, then the links, then the store they write to
        while (!running.isEmpty()) {
            AutoCloseable c = running.pop();
            if (c == store && group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
                group = null;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("cascade: stopping {} failed", c.getClass().getSimpleName(), e);
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
