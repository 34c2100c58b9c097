package io.safegrid.node.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.safegrid.ingest.hj212.Hj212Frame;
import io.safegrid.ingest.hj212.Hj212FrameDecoder;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection per data logger sending CN 2011 frames with Flag=5; the QN is the reading's
 * sequence number, so each 9014 reply says which reading it acknowledges.
 *
 * <p>The generator shares the CPUs with the node it measures, so each logger's frame is built once
 * as bytes with fixed-width QN and Rtd (the sequence number, zero-padded to 17 digits); a send copies
 * it, writes the two numbers and the CRC in place, and flushes every {@link BatchedWrites#FLUSH_EVERY} frames or
 * before the sender waits, like the MQTT transport.
 */
final class Hj212Transport implements LoadGenerator.Transport {
    private static final int DIGITS = 17;

    private final LoadGenerator.Options o;
    private final LoadGenerator gen;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel[] channels;
    private final byte[][] templates;
    private final int qnAt;
    private final int[] rtdAt;
    private final BatchedWrites writes;

    Hj212Transport(LoadGenerator.Options o, LoadGenerator gen) {
        this.o = o;
        this.gen = gen;
        int n = o.fleet().devices();
        this.channels = new Channel[n];
        this.templates = new byte[n][];
        this.rtdAt = new int[n];
        this.writes = new BatchedWrites(channels);
        String zeros = "0".repeat(DIGITS);
        this.qnAt = Hj212FrameEncoder.HEAD + "QN=".length();
        for (int i = 0; i < n; i++) {
            String head = "QN=" + zeros + ";ST=22;CN=2011;PW=" + o.fleet().password() + ";MN=" + o.fleet().mn(i)
                    + ";Flag=5;CP=&&" + o.fleet().factor() + "-Rtd=";
            String data = head + zeros + "," + o.fleet().factor() + "-Flag=N&&";
            templates[i] = Hj212FrameEncoder.frame(data);
            rtdAt[i] = Hj212FrameEncoder.HEAD + head.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    @Override
    public void connect() throws Exception {
        for (int i = 0; i < channels.length; i++) {
            channels[i] = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new Hj212FrameDecoder(), new Hj212FrameEncoder(),
                                    new SimpleChannelInboundHandler<Object>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, Object m) {
                                            if (m instanceof Hj212Frame f && f.crcOk() && f.data().contains("CN=9014")) {
                                                int at = f.data().indexOf("QN=");
                                                long seq = Long.parseLong(f.data().substring(at + 3, at + 20));
                                                gen.acked(gen.sentAt(seq), 1);
                                            } else if (m instanceof Hj212Frame f && f.data().contains("CN=9011")) {
                                                gen.failed(1);
                                            }
                                        }
                                    });
                        }
                    })
                    .connect(o.host(), o.port()).sync().channel();
        }
    }

    @Override
    public boolean writable(int device) { return channels[device].isWritable(); }

    @Override
    public void send(int device, long firstSeq, int count, long sendNanos) {
        byte[] frame = templates[device].clone();
        digits(frame, qnAt, firstSeq);
        digits(frame, rtdAt[device], firstSeq);
        Hj212FrameEncoder.seal(frame, frame.length - Hj212FrameEncoder.HEAD - Hj212FrameEncoder.TAIL);
        writes.write(device, Unpooled.wrappedBuffer(frame));
    }

    @Override
    public void flush() {
        writes.flushAll();
    }

    /** {@code value} as {@value #DIGITS} zero-padded decimal digits at {@code at}. */
    private static void digits(byte[] frame, int at, long value) {
        long v = value;
        for (int i = at + DIGITS - 1; i >= at; i--) {
            frame[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            if (c != null) {
                c.close();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
