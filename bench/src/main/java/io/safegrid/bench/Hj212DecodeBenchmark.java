package io.safegrid.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.safegrid.ingest.hj212.DataArea;
import io.safegrid.ingest.hj212.Hj212Frame;
import io.safegrid.ingest.hj212.Hj212FrameDecoder;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import io.safegrid.ingest.hj212.Hj212Exception;
import io.safegrid.ingest.hj212.Hj212Packet;
import io.safegrid.ingest.hj212.Hj212Parser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The HJ 212 receive path on one core, without sockets or the bus: {@link Hj212FrameDecoder} cutting
 * {@value #FRAMES} sticky frames out of one direct buffer (as a socket read delivers them), then
 * {@link Hj212Parser} reading header and CP area, as the ingest event loop does per frame. Score =
 * frames/s on one thread. {@code rtd1}: CN 2011 with one factor (the load generator's frame);
 * {@code min4}: CN 2051 with four factors, each Min/Avg/Max/Flag (a typical logger's minute data).
 * Run with {@code main} (1 fork, 2x2 s warm-up, 3x2 s measured).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class Hj212DecodeBenchmark {
    static final int FRAMES = 64;

    @Param({"rtd1", "min4"})
    public String frame;

    private ByteBuf stream;
    private EmbeddedChannel channel;

    @Setup(Level.Trial)
    public void setUp() {
        stream = PooledByteBufAllocator.DEFAULT.directBuffer();
        for (int i = 0; i < FRAMES; i++) {
            String qn = String.format("20261129043000%03d", i);
            String data = frame.equals("rtd1")
                    ? "QN=" + qn + ";ST=22;CN=2011;PW=123456;MN=LOAD0000000000000000000007;Flag=5;CP=&&a21005-Rtd="
                    + (1000 + i) + ",a21005-Flag=N&&"
                    : "QN=" + qn + ";ST=22;CN=2051;PW=123456;MN=88888880000001;Flag=5;CP=&&DataTime=20261129043000;"
                    + "a21005-Min=0.8,a21005-Avg=1.2" + i % 10 + ",a21005-Max=1.9,a21005-Flag=N;"
                    + "a01001-Min=21.0,a01001-Avg=22.5,a01001-Max=23.1,a01001-Flag=N;"
                    + "a34002-Min=0.05,a34002-Avg=0.07,a34002-Max=0.12,a34002-Flag=N;"
                    + "a01007-Min=1.2,a01007-Avg=2.4,a01007-Max=5.5,a01007-Flag=M&&";
            stream.writeBytes(Hj212FrameEncoder.frame(data));
        }
        channel = new EmbeddedChannel(new Hj212FrameDecoder());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        stream.release();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decodeAndParse(Blackhole bh) throws Exception {
        decodeAndParse((Consumer<Object>) bh::consume);
    }

    private int decodeAndParse(Consumer<Object> sink) throws Hj212Exception {
        channel.writeInbound(stream.retainedDuplicate());
        int n = 0;
        Object m;
        while ((m = channel.readInbound()) != null) {
            Hj212Frame f = (Hj212Frame) m;
            if (!f.crcOk()) {
                throw new IllegalStateException("CRC mismatch in benchmark frame: " + f.data());
            }
            Hj212Packet p = Hj212Parser.parse(f.data());
            DataArea area = Hj212Parser.dataArea(p.cp());
            sink.accept(area);
            n++;
        }
        return n;
    }

    /**
     * {@code main} runs JMH. {@code main cpu [seconds]} instead counts frames per second of this
     * thread's own CPU time (ThreadMXBean), which stays comparable on a machine shared with other
     * work, where JMH's wall-clock score swings with the load.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cpu")) {
            int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
            for (String kind : new String[] {"rtd1", "min4"}) {
                System.out.printf("%s: %,.0f frames per CPU-second (one thread, %d s of CPU after %d s warm-up)%n", kind,
                        cpuRate(kind, seconds), seconds, seconds);
            }
            return;
        }
        new Runner(new OptionsBuilder().include(Hj212DecodeBenchmark.class.getSimpleName()).build()).run();
    }

    private static double cpuRate(String kind, int seconds) throws Exception {
        Hj212DecodeBenchmark b = new Hj212DecodeBenchmark();
        b.frame = kind;
        b.setUp();
        try {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long[] sink = new long[1];
            Consumer<Object> consume = o -> sink[0] += o.hashCode();
            long warmEnd = mx.getCurrentThreadCpuTime() + seconds * 1_000_000_000L;
            while (mx.getCurrentThreadCpuTime() < warmEnd) {
                b.decodeAndParse(consume);
            }
            long frames = 0;
            long start = mx.getCurrentThreadCpuTime();
            long end = start + seconds * 1_000_000_000L;
            long now;
            do {
                for (int i = 0; i < 16; i++) {
                    frames += b.decodeAndParse(consume);
                }
                now = mx.getCurrentThreadCpuTime();
            } while (now < end);
            if (sink[0] == 42) {
                System.out.print("");
            }
            return frames * 1e9 / (now - start);
        } finally {
            b.tearDown();
        }
    }
}
