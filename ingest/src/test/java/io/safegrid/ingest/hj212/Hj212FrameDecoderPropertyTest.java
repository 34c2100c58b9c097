package io.safegrid.ingest.hj212;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Fuzzes the frame decoder: nothing escapes the pipeline, and a valid frame always comes through. */
class Hj212FrameDecoderPropertyTest {

    @Property(tries = 200)
    void anyBytesNeverThrowOutOfThePipeline(@ForAll("noise") byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new Hj212FrameDecoder());
        for (int i = 0; i < bytes.length; i += chunk) {
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk))));
        }
        ch.checkException();
        Object o;
        while ((o = ch.readInbound()) != null) {
            assertThat(o).isInstanceOfAny(Hj212Frame.class, Hj212FrameError.class);
        }
        assertThat(ch.finish()).isIn(true, false);
    }

    @Property(tries = 200)
    void aValidFrameAfterGarbageAlwaysParses(@ForAll("dataSegments") String data, @ForAll("garbage") String garbage,
                                             @ForAll @IntRange(min = 1, max = 300) int cut) {
        byte[] frame = Hj212FrameEncoder.frame(data);
        byte[] all = concat(garbage.getBytes(StandardCharsets.UTF_8), frame);
        int at = Math.min(cut, all.length - 1);
        EmbeddedChannel ch = new EmbeddedChannel(new Hj212FrameDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(all, at)));
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(all, at, all.length)));
        List<Hj212Frame> frames = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            if (o instanceof Hj212Frame f) {
                frames.add(f);
            }
        }
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.crcOk()).isTrue();
            assertThat(f.data()).isEqualTo(data);
        });
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.of((byte) '#', (byte) '\r', (byte) '\n', (byte) '&', (byte) ';')),
                net.jqwik.api.Tuple.of(5, Arbitraries.bytes().between((byte) '0', (byte) '9')),
                net.jqwik.api.Tuple.of(3, Arbitraries.bytes()));
        Arbitrary<byte[]> random = b.array(byte[].class).ofMaxSize(3000);
        // sometimes start from a real frame and damage it
        Arbitrary<byte[]> damaged = Combinators.combine(dataSegments(), Arbitraries.integers().between(0, 2000),
                Arbitraries.bytes()).as((d, pos, x) -> {
                    byte[] f = Hj212FrameEncoder.frame(d);
                    f[pos % f.length] = x;
                    return f;
                });
        return Arbitraries.oneOf(random, damaged);
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.strings().withChars("abcXYZ012 \r\n;=&%#").ofMaxLength(80);
    }

    @Provide
    Arbitrary<String> dataSegments() {
        Arbitrary<String> factor = Combinators.combine(
                Arbitraries.of("a21005", "a21026", "w01001", "a34004", "SB1"),
                Arbitraries.of("Rtd", "Min", "Avg", "Max", "Cou", "RS"),
                Arbitraries.doubles().between(-1000, 100000).ofScale(3),
                Arbitraries.of("N", "F", "M", "S", "D", "C", "T", "B"))
                .as((f, s, v, fl) -> f + "-" + s + "=" + v + "," + f + "-Flag=" + fl);
        return Combinators.combine(Arbitraries.of("2011", "2051", "2061", "2031"), Arbitraries.of(4, 5),
                factor.list().ofMinSize(0).ofMaxSize(12), Arbitraries.strings().withChars("0123456789ABCDEF站").ofMinLength(1).ofMaxLength(24))
                .as((cn, flag, fs, mn) -> "QN=20240315103000123;ST=22;CN=" + cn + ";PW=100000;MN=" + mn + ";Flag=" + flag
                        + ";CP=&&DataTime=20240315103000;" + String.join(";", fs) + "&&");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
