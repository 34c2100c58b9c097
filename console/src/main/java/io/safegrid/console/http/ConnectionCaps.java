package io.safegrid.console.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many connections the console holds: at most {@code perAddress} from one client address and
 * {@code total} in all. One more is closed as soon as it is accepted, so one client cannot use up
 * the node's file handles through the console port. A township office behind one NAT address needs
 * a few per browser plus one per live stream, which the default per-address cap leaves room for.
 */
@ChannelHandler.Sharable
public final class ConnectionCaps extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCaps.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("safegrid.console.counted");
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final int perAddress;
    private final int total;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    private final Counter refusedAddress;
    private final Counter refusedTotal;
    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());

    public ConnectionCaps(int perAddress, int total, MeterRegistry registry) {
        this.perAddress = perAddress;
        this.total = total;
        this.refusedAddress = Counter.builder("safegrid.console.connections.refused").tag("reason", "per-address")
                .description("console connections closed at once: too many from one address").register(registry);
        this.refusedTotal = Counter.builder("safegrid.console.connections.refused").tag("reason", "total")
                .description("console connections closed at once: the console holds its maximum").register(registry);
        Gauge.builder("safegrid.console.connections", open, AtomicInteger::get)
                .description("connections the console holds").register(registry);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (address == null) {
            super.channelActive(ctx);
            return;
        }
        AtomicInteger mine = byAddress.computeIfAbsent(address, k -> new AtomicInteger());
        int fromAddress = mine.incrementAndGet();
        int all = open.incrementAndGet();
        ctx.channel().attr(COUNTED).set(address);
        if (fromAddress > perAddress || all > total) {
            (fromAddress > perAddress ? refusedAddress : refusedTotal).increment();
            note(address, fromAddress > perAddress);
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            open.decrementAndGet();
            byAddress.computeIfPresent(address, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        super.channelInactive(ctx);
    }

    private void note(InetAddress address, boolean perAddressCap) {
        long now = System.nanoTime();
        long next = nextLog.get();
        if (now - next >= 0 && nextLog.compareAndSet(next, now + LOG_EVERY_NANOS)) {
            LOG.warn("console refused a connection from {}: {} (further refusals within 10 s are only counted: "
                    + "safegrid_console_connections_refused_total)", address.getHostAddress(),
                    perAddressCap ? perAddress + " already open from that address" : total + " connections open");
        }
    }
}
