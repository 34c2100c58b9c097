package io.safegrid.ingest.hj212;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzzes the whole HJ 212 decoding path a hostile logger reaches before its password is checked:
 * frame cutting, then header and data area parsing of whatever the cutter lets through. Anything
 * may come in; only frames, frame errors and {@link Hj212Exception}s may come out. Tries:
 * {@code jqwik.tries.default} (3,000 in CI, a million or more in the nightly run; docs/security.md).
 */
class Hj212DecoderFuzzTest {

    @Property
    void anyBytesDecodeToFramesOrErrorsAndAnyFrameParsesOrIsRefused(@ForAll("input") byte[] bytes,
                                                                      @ForAll @IntRange(min = 1, max = 512) int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new Hj212FrameDecoder());
        for (int i = 0; i < bytes.length; i += chunk) {
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk))));
        }
        ch.checkException();
        Object o;
        while ((o = ch.readInbound()) != null) {
            assertThat(o).isInstanceOfAny(Hj212Frame.class, Hj212FrameError.class);
            if (o instanceof Hj212Frame f) {
                assertThat(f.data().length()).isLessThanOrEqualTo(Hj212FrameDecoder.MAX_DATA);
                parse(f.data());
            }
        }
        ch.finishAndReleaseAll();
    }

    @Property
    void anyDataSegmentParsesOrIsRefused(@ForAll("segments") String data) {
        parse(data);
    }

    private static void parse(String data) {
        Hj212Parser.lenient(data);
        try {
            Hj212Packet p = Hj212Parser.parse(data);
            Hj212Parser.dataArea(p.cp());
        } catch (Hj212Exception refused) {
            assertThat(refused.reason()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> input() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
        Arbitrary<byte[]> frames = segments().map(Hj212FrameEncoder::frame);
        Arbitrary<byte[]> damaged = frames.flatMap(f -> Arbitraries.integers().between(0, f.length - 1).flatMap(
                pos -> Arbitraries.bytes().map(x -> {
                    byte[] g = f.clone();
                    g[pos] = x;
                    return g;
                })));
        Arbitrary<byte[]> joined = Arbitraries.oneOf(frames, damaged, random.map(r -> Arrays.copyOf(r, Math.min(r.length, 64))),
                Arbitraries.just("#".getBytes(StandardCharsets.US_ASCII))).list().ofMaxSize(6).map(parts -> {
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    parts.forEach(out::writeBytes);
                    return out.toByteArray();
                });
        return Arbitraries.oneOf(random, frames, damaged, joined);
    }

    @Provide
    Arbitrary<String> segments() {
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.of("QN", "ST", "CN", "PW", "MN", "Flag", "PNO", "PNUM", "CP", "DataTime", "a21005-Rtd",
                        "a21005-Flag", "w01001-Avg", "SB1-RS", "", "=", "&&", ";"),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("20240101120000", "2011", "2051", "9014", "100000", "5", "N", "-1.5e3", "NaN", "1e999", "",
                        "&&", ";", ",", "="),
                Arbitraries.strings().withChars("0123456789.-+eE&;=,abc").ofMaxLength(30),
                Arbitraries.strings().ofMaxLength(30));
        Arbitrary<String> pair = net.jqwik.api.Combinators.combine(field, value,
                Arbitraries.of("=", "", "=="), Arbitraries.of(";", ",", "&&", "")).as((f, v, eq, sep) -> f + eq + v + sep);
        return Arbitraries.oneOf(
                pair.list().ofMaxSize(30).map(l -> String.join("", l)),
                pair.list().ofMaxSize(20).map(l -> "QN=1;ST=22;CN=2011;PW=100000;MN=M1;Flag=5;CP=&&" + String.join("", l) + "&&"))
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= Hj212FrameDecoder.MAX_DATA);
    }
}
