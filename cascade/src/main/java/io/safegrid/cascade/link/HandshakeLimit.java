package io.safegrid.cascade.link;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the links that have not authenticated yet, in all and per source address, so that a flood
 * of connections that never say HELLO (or say it slowly) cannot take the county's file handles or
 * keep real enterprises from linking. A link stops counting once authenticated (its handler is then
 * removed) or closed. Thread-safe.
 */
final class HandshakeLimit {
    /** Pipeline name of the per-connection handler; removed when the link is authenticated. */
    static final String NAME = "handshake-limit";

    private final int max;
    private final int maxPerAddress;
    private final LinkMetrics metrics;
    private final Map<InetAddress, Integer> byAddress = new HashMap<>();
    private int pending;

    HandshakeLimit(int max, int maxPerAddress, LinkMetrics metrics) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
    }

    synchronized int pending() { return pending; }

    private synchronized boolean admit(InetAddress a) {
        int n = byAddress.getOrDefault(a, 0);
        if (pending >= max || n >= maxPerAddress) {
            return false;
        }
        pending++;
        byAddress.put(a, n + 1);
        return true;
    }

    private synchronized void release(InetAddress a) {
        pending--;
        byAddress.computeIfPresent(a, (k, n) -> n > 1 ? n - 1 : null);
    }

    Handler handler() {
        return new Handler();
    }

    final class Handler extends ChannelInboundHandlerAdapter {
        private InetAddress address;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            InetAddress a = ctx.channel().remoteAddress() instanceof InetSocketAddress i ? i.getAddress()
                    : InetAddress.getLoopbackAddress();
            if (!admit(a)) {
                metrics.refused("unknown", "too-many-handshakes");
                ctx.close();
                return;
            }
            address = a;
            super.channelActive(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (address != null) {
                release(address);
                address = null;
            }
        }
    }
}
