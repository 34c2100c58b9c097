package io.safegrid.node.device;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.safegrid.ingest.hj212.Hj212Frame;
import io.safegrid.ingest.hj212.Hj212FrameDecoder;

/**
 * HJ 212 data loggers, one TCP connection each (numbered 0..n-1): frames out as built by the
 * caller ({@code Hj212FrameEncoder.frame}), the node's replies (9014, 9011) handed to a
 * {@link Listener}. Writes are flushed in batches ({@link #flush()} before waiting).
 */
public final class Hj212Loggers extends DeviceConnections {
    /** Called on the connection's event loop. */
    public interface Listener {
        void reply(int logger, Hj212Frame reply);
    }

    private final Listener listener;

    public Hj212Loggers(String host, int port, int loggers, Listener listener) {
        super(host, port, loggers);
        this.listener = listener;
    }

    public void connect(int logger) throws InterruptedException {
        channels[logger] = bootstrap().handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new Hj212FrameDecoder(), new SimpleChannelInboundHandler<Object>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Object m) {
                                if (m instanceof Hj212Frame f) {
                                    listener.reply(logger, f);
                                }
                            }
                        });
                    }
                })
                .connect(host, port).sync().channel();
    }

    /** Queues a whole frame ({@code ##…\r\n}); it goes out with the logger's next batch or {@link #flush()}. */
    public void write(int logger, byte[] frame) {
        write(logger, Unpooled.wrappedBuffer(frame));
    }
}
