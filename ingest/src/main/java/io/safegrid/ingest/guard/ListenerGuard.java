package io.safegrid.ingest.guard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.safegrid.config.IngestLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What one ingest listener lets clients hold. Every connection counts against the listener's and the
 * node's cap; one that has not authenticated yet also counts against the caps on unauthenticated
 * connections (per listener and per source address) and must authenticate before its deadline, a
 * hard one from accept, not an idle timer. A flood of idle or dripping connections therefore holds at
 * most {@code max-unauthenticated-per-listener} handles, and a device that connects during it is
 * still let in: the oldest unauthenticated connection is closed to make room.
 *
 * <p>Replies queued for a client above the write buffer's high water mark pause reading the
 * connection until half have gone out; above {@code max-queued-write-bytes} the connection is closed,
 * so a client that sends but never reads cannot grow the node's memory.
 */
public final class ListenerGuard {
    private static final AttributeKey<Entry> KEY = AttributeKey.valueOf("safegrid.ingest.guard");

    private final String protocol;
    private final Supplier<IngestLimits> limits;
    private final Function<IngestLimits, Duration> loginTimeout;
    private final NodeConnections node;
    private final Rejections rejections;
    private final AuthThrottle logins;
    private final LinkedHashSet<Entry> unauthenticated = new LinkedHashSet<>();
    private final Map<InetAddress, Integer> unauthenticatedByAddress = new HashMap<>();
    private final java.util.Set<Channel> channels = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private int open;

    /** One connection's standing with the guard. */
    private static final class Entry {
        final ListenerGuard guard;
        final Channel channel;
        final InetAddress address;
        boolean pending = true;
        boolean counted = true;
        ScheduledFuture<?> deadline;

        Entry(ListenerGuard guard, Channel channel, InetAddress address) {
            this.guard = guard;
            this.channel = channel;
            this.address = address;
        }
    }

    /**
     * @param loginTimeout how long a connection of this protocol may take to authenticate
     * @param logins       throttles failed logins on these connections ({@link Logins}); null: none
     */
    public ListenerGuard(String protocol, Supplier<IngestLimits> limits, Function<IngestLimits, Duration> loginTimeout,
                         NodeConnections node, Rejections rejections, AuthThrottle logins, MeterRegistry registry) {
        this.protocol = protocol;
        this.logins = logins;
        this.limits = limits;
        this.loginTimeout = loginTimeout;
        this.node = node;
        this.rejections = rejections;
        Gauge.builder("safegrid.ingest.connections.open", this, ListenerGuard::open).tag("protocol", protocol)
                .description("connections open on an ingest listener").register(registry);
        Gauge.builder("safegrid.ingest.connections.unauthenticated", this, ListenerGuard::unauthenticated)
                .tag("protocol", protocol).description("connections that have not authenticated yet").register(registry);
        Gauge.builder("safegrid.ingest.queued.reply.bytes", this, ListenerGuard::queuedBytes).tag("protocol", protocol)
                .description("reply bytes waiting for clients to read them").register(registry);
    }

    /** Sets the write buffer water marks a guarded listener's connections need. */
    public static ServerBootstrap waterMarks(ServerBootstrap b, IngestLimits l) {
        return b.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(l.writeBufferHighBytes() / 2, l.writeBufferHighBytes()));
    }

    /** The first handler of each connection's pipeline. */
    public Handler handler() {
        return new Handler();
    }

    /**
     * The connection has proved who it is (a device's secret, an HJ 212 MN and PW, a camera token):
     * its login deadline is off and it no longer counts as unauthenticated. Safe to call again.
     */
    public static void authenticated(Channel ch) {
        Entry e = ch.attr(KEY).get();
        if (e != null) {
            e.guard.authenticate(e);
        }
    }

    /** Whether the connection has authenticated (true for connections no guard watches). */
    public static boolean isAuthenticated(Channel ch) {
        Entry e = ch.attr(KEY).get();
        if (e == null) {
            return true;
        }
        synchronized (e.guard) {
            return !e.pending;
        }
    }

    public synchronized int open() { return open; }

    public synchronized int unauthenticated() { return unauthenticated.size(); }

    /** Reply bytes queued now for this listener's clients, all connections together. */
    public long queuedBytes() {
        long sum = 0;
        for (Channel ch : channels) {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            sum += out == null ? 0 : out.totalPendingWriteBytes();
        }
        return sum;
    }

    /** Null when admitted; else why not. Closes the oldest unauthenticated connection if that makes room. */
    private String admit(Entry e) {
        IngestLimits l = limits.get();
        Channel evict = null;
        String refused = null;
        synchronized (this) {
            int fromAddress = unauthenticatedByAddress.getOrDefault(e.address, 0);
            if (fromAddress >= l.maxUnauthenticatedPerAddress()) {
                return "address-cap";
            }
            boolean listenerFull = open >= l.maxConnectionsPerListener();
            boolean nodeFull = !listenerFull && !node.tryTake();
            if (listenerFull || nodeFull || unauthenticated.size() >= l.maxUnauthenticatedPerListener()) {
                Entry oldest = oldestUnauthenticated();
                if (oldest == null) {
                    if (!listenerFull && !nodeFull) {
                        node.give();
                    }
                    return listenerFull ? "listener-full" : "node-full";
                }
                release(oldest);   // its handle is given back as it closes; the newcomer takes its place now
                evict = oldest.channel;
                if (!listenerFull && !nodeFull) {
                    node.give();
                }
                if (!node.tryTake()) {
                    // another listener took the slot first; the evicted one is released, so it is closed all the same
                    refused = "node-full";
                }
            }
            if (refused == null) {
                open++;
                unauthenticated.add(e);
                unauthenticatedByAddress.merge(e.address, 1, Integer::sum);
            }
        }
        if (evict != null) {
            rejections.rejected("evicted", evict.remoteAddress(), "not authenticated, closed to make room for a new connection");
            evict.close();
        }
        return refused;
    }

    private Entry oldestUnauthenticated() {
        Iterator<Entry> it = unauthenticated.iterator();
        return it.hasNext() ? it.next() : null;
    }

    private synchronized void authenticate(Entry e) {
        if (!e.pending) {
            return;
        }
        e.pending = false;
        if (unauthenticated.remove(e)) {
            unauthenticatedByAddress.computeIfPresent(e.address, (a, n) -> n > 1 ? n - 1 : null);
        }
        if (e.deadline != null) {
            e.deadline.cancel(false);
        }
    }

    /** Gives back what the connection counted against; idempotent. */
    private synchronized void release(Entry e) {
        if (!e.counted) {
            return;
        }
        e.counted = false;
        if (e.pending && unauthenticated.remove(e)) {
            unauthenticatedByAddress.computeIfPresent(e.address, (a, n) -> n > 1 ? n - 1 : null);
        }
        e.pending = false;
        open--;
        node.give();
        if (e.deadline != null) {
            e.deadline.cancel(false);
        }
    }

    private static InetAddress addressOf(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }

    /** Admission, login deadline, read pausing and the queued-bytes cap for one connection. */
    public final class Handler extends ChannelDuplexHandler {
        private Entry entry;
        private int maxQueued;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            Channel ch = ctx.channel();
            Entry e = new Entry(ListenerGuard.this, ch, addressOf(ch.remoteAddress()));
            String refused = admit(e);
            if (refused != null) {
                rejections.rejected(refused, ch.remoteAddress(), "connection refused: " + refused.replace('-', ' '));
                ctx.close();
                return;
            }
            entry = e;
            ch.attr(KEY).set(e);
            channels.add(ch);
            Logins.attach(ch, logins);
            IngestLimits l = limits.get();
            maxQueued = l.maxQueuedWriteBytes();
            Duration timeout = loginTimeout.apply(l);
            ScheduledFuture<?> deadline = ctx.executor().schedule(() -> loginTimedOut(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (ListenerGuard.this) {
                e.deadline = deadline;
            }
            super.channelActive(ctx);
        }

        private void loginTimedOut(ChannelHandlerContext ctx) {
            boolean pending;
            synchronized (ListenerGuard.this) {
                pending = entry.pending && entry.counted;
            }
            if (pending) {
                rejections.rejected("login-timeout", ctx.channel().remoteAddress(),
                        "not authenticated within " + loginTimeout.apply(limits.get()).toSeconds() + " s of connecting");
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (entry != null) {
                channels.remove(ctx.channel());
                release(entry);
                super.channelInactive(ctx);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (entry == null) {
                io.netty.util.ReferenceCountUtil.release(msg);   // refused: closing
                return;
            }
            if (!ctx.channel().isWritable()) {
                // something else resumed reading while replies are still piled up
                ReadPause.hold(ctx.channel(), ReadPause.WRITE);
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().isWritable()) {
                ReadPause.release(ctx.channel(), ReadPause.WRITE);
            } else {
                ReadPause.hold(ctx.channel(), ReadPause.WRITE);
            }
            super.channelWritabilityChanged(ctx);
        }

        /** A reset or broken connection: counted, logged through the limit, closed; one line per peer would flood the log. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (cause instanceof java.io.IOException) {
                rejections.rejected("io-error", ctx.channel().remoteAddress(), String.valueOf(cause.getMessage()));
                ctx.close();
            } else {
                super.exceptionCaught(ctx, cause);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            super.write(ctx, msg, promise);
            ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
            if (out != null && out.totalPendingWriteBytes() > maxQueued && ctx.channel().isOpen()) {
                rejections.rejected("write-overflow", ctx.channel().remoteAddress(),
                        out.totalPendingWriteBytes() + " reply bytes queued for a client that does not read; at most " + maxQueued);
                ctx.close();
            }
        }
    }
}
