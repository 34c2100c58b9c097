package io.safegrid.node.device;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection per device (numbered 0..n-1) on a shared event loop group. Writes are flushed
 * every {@link #FLUSH_EVERY} messages per connection: a write without flush is queued to the event
 * loop lazily (no wake-up), so batching the flushes saves syscalls and wake-ups, as a real gateway's
 * client would; {@link #flush()} before waiting sends the rest.
 */
abstract class DeviceConnections implements AutoCloseable {
    static final int FLUSH_EVERY = 16;

    final String host;
    final int port;
    final Channel[] channels;
    private final int[] unflushed;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    DeviceConnections(String host, int port, int devices) {
        this.host = host;
        this.port = port;
        this.channels = new Channel[devices];
        this.unflushed = new int[devices];
    }

    /** A client bootstrap on the shared group; the caller adds its handler and connects. */
    Bootstrap bootstrap() {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000);
    }

    public boolean connected(int device) {
        Channel c = channels[device];
        return c != null && c.isActive();
    }

    public boolean writable(int device) { return channels[device].isWritable(); }

    void write(int device, Object message) {
        Channel ch = channels[device];
        ch.write(message);
        if (++unflushed[device] >= FLUSH_EVERY) {
            unflushed[device] = 0;
            ch.flush();
        }
    }

    /** Flushes every connection with something written since its last flush. */
    public void flush() {
        for (int i = 0; i < channels.length; i++) {
            if (unflushed[i] > 0) {
                unflushed[i] = 0;
                channels[i].flush();
            }
        }
    }

    /** Says goodbye on a connection that is still open (MQTT's DISCONNECT); closing follows. */
    void goodbye(Channel c) {
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            if (c != null) {
                if (c.isActive()) {
                    goodbye(c);
                }
                c.close().awaitUninterruptibly(1000);
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
