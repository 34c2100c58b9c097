package io.safegrid.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes what an edge box sends before it has authenticated: the push header line, and the first
 * video bytes the SPS probe reads. A header parses to its parts or is refused with a reason; the
 * probe never fails. Tries: {@code jqwik.tries.default} (docs/security.md).
 */
class PushHeaderFuzzTest {

    @Property
    void anyLineParsesOrIsRefusedWithAReason(@ForAll("lines") String line) {
        PushHeader h;
        try {
            h = PushHeader.parse(line);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(h.cameraId()).isNotBlank().doesNotContainAnyWhitespaces();
        assertThat(h.token()).isNotBlank().doesNotContainAnyWhitespaces();
        assertThat(h.format()).isIn("mpegts", "h264");
    }

    @Property
    void theSpsProbeReadsAnyBytesWithoutFailing(@ForAll("video") byte[] bytes) {
        SpsProbe p = new SpsProbe();
        for (int i = 0; i < bytes.length; i += 97) {
            p.feed(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 97)));
        }
        assertThat(p.largestPixels()).isNotNegative();
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.of(PushHeader.MAGIC, "cam-1", "-", "mpegts", "h264", "MPEGTS",
                "flv", "", " ", "\t"), Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> joined = word.list().ofMaxSize(7).flatMap(ws -> Arbitraries.of(" ", "  ", "\t", "").map(
                sep -> String.join(sep, ws)));
        Arbitrary<String> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(PushHeader.MAX_LENGTH)
                .map(b -> new String(b, StandardCharsets.US_ASCII));
        return Arbitraries.oneOf(joined, bytes);
    }

    @Provide
    Arbitrary<byte[]> video() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
        Arbitrary<byte[]> sps = Arbitraries.integers().between(1, 4000).flatMap(w -> Arbitraries.integers().between(1, 4000)
                .map(h -> SpsProbeTest.avcSps(w * 16, h * 16, 100)));
        Arbitrary<byte[]> damaged = sps.flatMap(s -> Arbitraries.integers().between(0, s.length - 1).flatMap(
                pos -> Arbitraries.bytes().map(x -> {
                    byte[] d = s.clone();
                    d[pos] = x;
                    return d;
                })));
        return Arbitraries.oneOf(random, sps, damaged);
    }
}
