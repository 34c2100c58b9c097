package io.safegrid.node.load;

import io.netty.bootstrap.Bootstrap;
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
import io.safegrid.ingest.hj212.Hj212Reply;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection per data logger sending CN 2011 frames with Flag=5; the QN is the reading's
 * sequence number, so each 9014 reply says which reading it acknowledges.
 */
final class Hj212Transport implements LoadGenerator.Transport {
    private final LoadGenerator.Options o;
    private final LoadGenerator gen;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel[] channels;

    Hj212Transport(LoadGenerator.Options o, LoadGenerator gen) {
        this.o = o;
        this.gen = gen;
        this.channels = new Channel[o.fleet().devices()];
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
        String data = "QN=" + String.format("%017d", firstSeq) + ";ST=22;CN=2011;PW=" + o.fleet().password()
                + ";MN=" + o.fleet().mn(device) + ";Flag=5;CP=&&" + o.fleet().factor() + "-Rtd=" + firstSeq + ","
                + o.fleet().factor() + "-Flag=N&&";
        channels[device].writeAndFlush(new Hj212Reply(data));
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
