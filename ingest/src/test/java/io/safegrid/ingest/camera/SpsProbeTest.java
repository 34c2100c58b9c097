package io.safegrid.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpsProbeTest {

    @Test
    void readsThePictureSizeOfARealEncodedStreamWhateverTheChunking(@TempDir Path dir) throws Exception {
        byte[] ts = Files.readAllBytes(TestCameras.clip(dir, 0.3));   // 320x180 H.264 in MPEG-TS
        for (int chunk : new int[] {7, 188, 65536}) {
            SpsProbe p = new SpsProbe();
            for (int i = 0; i < ts.length; i += chunk) {
                p.feed(Arrays.copyOfRange(ts, i, Math.min(ts.length, i + chunk)));
            }
            assertThat(p.lastWidth()).as("chunks of %d", chunk).isEqualTo(320);
            assertThat(p.lastHeight()).as("coded height, whole macroblocks").isEqualTo(192);
            assertThat(p.largestPixels()).isEqualTo(320L * 192);
        }
    }

    @Test
    void readsAHugeDeclaredH264Picture() {
        SpsProbe p = new SpsProbe();
        byte[] nal = avcSps(16000, 16000, 100);
        p.feed(Arrays.copyOf(nal, 9));   // split inside the SPS
        p.feed(Arrays.copyOfRange(nal, 9, nal.length));
        assertThat(p.largestPixels()).isEqualTo(16000L * 16000);
    }

    @Test
    void readsAHugeDeclaredH265Picture() {
        SpsProbe p = new SpsProbe();
        p.feed(hevcSps(16000, 16000));
        assertThat(p.lastWidth()).isEqualTo(16000);
        assertThat(p.largestPixels()).isEqualTo(16000L * 16000);
    }

    @Test
    void garbageDeclaresNothing() {
        SpsProbe p = new SpsProbe();
        byte[] junk = new byte[5000];
        new java.util.Random(7).nextBytes(junk);
        p.feed(new byte[] {0, 0, 1, 0x67, (byte) 0xff, (byte) 0xff});   // a start, then a truncated SPS
        p.feed(new byte[600]);
        assertThat(p.largestPixels()).isLessThan(1L << 40);
    }

    /** An Annex B H.264 SPS NAL (start code included) declaring {@code w x h} (multiples of 16). */
    static byte[] avcSps(int w, int h, int profile) {
        Bits b = new Bits();
        b.u(profile, 8).u(0, 8).u(40, 8).ue(0);
        if (profile == 100) {
            b.ue(1).ue(0).ue(0).u(0, 1).u(0, 1);   // 4:2:0, 8 bit, no scaling matrix
        }
        b.ue(0).ue(0).ue(0).ue(1).u(0, 1);         // frame num, POC type 0 + lsb, 1 ref frame, no gaps
        b.ue(w / 16 - 1).ue(h / 16 - 1).u(1, 1).u(1, 1).u(0, 1).u(0, 1).u(1, 1);
        return nal(new byte[] {0x67}, b.bytes());
    }

    /** An Annex B H.265 SPS NAL declaring {@code w x h}. */
    static byte[] hevcSps(int w, int h) {
        Bits b = new Bits();
        b.u(0, 4).u(0, 3).u(1, 1);                 // VPS id, one sub-layer, temporal id nesting
        b.u(1, 8).u(0x60000000, 32).u(0, 32).u(0, 16).u(93, 8);   // Main profile, level 3.1
        b.ue(0).ue(1).ue(w).ue(h).u(0, 1).ue(0).ue(0).ue(4).u(1, 1);
        return nal(new byte[] {0x42, 0x01}, b.bytes());
    }

    private static byte[] nal(byte[] header, byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, 1});
        out.writeBytes(header);
        int zeros = 0;
        for (byte x : rbsp) {   // emulation prevention
            if (zeros >= 2 && (x & 0xff) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(x);
            zeros = x == 0 ? zeros + 1 : 0;
        }
        out.write(0x80);
        return out.toByteArray();
    }

    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int cur;
        private int n;

        Bits u(long v, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                cur = cur << 1 | (int) (v >> i & 1);
                if (++n == 8) {
                    out.write(cur);
                    cur = 0;
                    n = 0;
                }
            }
            return this;
        }

        Bits ue(long v) {
            long x = v + 1;
            int len = 64 - Long.numberOfLeadingZeros(x);
            u(0, len - 1);
            return u(x, len);
        }

        byte[] bytes() {
            u(1, 1);   // rbsp stop bit
            while (n != 0) {
                u(0, 1);
            }
            return out.toByteArray();
        }
    }
}
