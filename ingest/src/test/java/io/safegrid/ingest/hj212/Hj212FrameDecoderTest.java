package io.safegrid.ingest.hj212;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Hj212FrameDecoderTest {
    static final String DATA = "QN=20240101120000001;ST=32;CN=2011;PW=100000;MN=MN1;Flag=5;CP=&&DataTime=20240101120000;a21005-Rtd=1.5,a21005-Flag=N&&";

    private final EmbeddedChannel ch = new EmbeddedChannel(new Hj212FrameDecoder());

    private List<Object> feed(byte[]... chunks) {
        for (byte[] c : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(c));
        }
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        return out;
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void decodesTheStandardExample() {
        List<Object> out = feed(ascii(Hj212CrcTest.EXAMPLE_FRAME));
        assertThat(out).containsExactly(new Hj212Frame(Hj212CrcTest.EXAMPLE_DATA, "1C80", true));
    }

    @Test
    void frameSplitIntoSingleBytes() {
        byte[] f = Hj212FrameEncoder.frame(DATA);
        List<Object> out = new ArrayList<>();
        for (byte b : f) {
            out.addAll(feed(new byte[] {b}));
        }
        assertThat(out).singleElement().isEqualTo(new Hj212Frame(DATA, Hj212Crc.hex(Hj212Crc.of(DATA)), true));
    }

    @Test
    void stickyFramesInOneBuffer() {
        byte[] f = Hj212FrameEncoder.frame(DATA);
        byte[] three = new byte[f.length * 3];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(f, 0, three, i * f.length, f.length);
        }
        assertThat(feed(three)).hasSize(3).allMatch(o -> o instanceof Hj212Frame fr && fr.crcOk());
    }

    @Test
    void garbageBeforeAFrameIsReportedAndSkipped() {
        List<Object> out = feed(ascii("hello\r\n#x"), Hj212FrameEncoder.frame(DATA));
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(Hj212FrameError.class).extracting("reason").isEqualTo("garbage");
        assertThat(out.get(1)).isInstanceOf(Hj212Frame.class);
    }

    @Test
    void aStrayHashBeforeAFrameDoesNotLoseTheFrame() {
        for (String junk : new String[] {"#", "###", "x#", "##\r\n#"}) {
            List<Object> out = feed(ascii(junk), Hj212FrameEncoder.frame(DATA));
            assertThat(out).as(junk).filteredOn(o -> o instanceof Hj212Frame).singleElement()
                    .isEqualTo(new Hj212Frame(DATA, Hj212Crc.hex(Hj212Crc.of(DATA)), true));
        }
        List<Object> glued = feed(concat(ascii("#"), Hj212FrameEncoder.frame(DATA)));
        assertThat(glued).filteredOn(o -> o instanceof Hj212Frame).hasSize(1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void wrongCrcIsFlaggedNotDropped() {
        String frame = new String(Hj212FrameEncoder.frame(DATA), StandardCharsets.UTF_8);
        String bad = frame.substring(0, frame.length() - 6) + "0000\r\n";
        List<Object> out = feed(ascii(bad));
        assertThat(out).singleElement().isInstanceOfSatisfying(Hj212Frame.class, f -> {
            assertThat(f.crcOk()).isFalse();
            assertThat(f.data()).isEqualTo(DATA);
        });
    }

    @Test
    void wrongLengthThenAGoodFrameResyncs() {
        String frame = new String(Hj212FrameEncoder.frame(DATA), StandardCharsets.UTF_8);
        int len = DATA.length();
        String wrong = "##" + String.format("%04d", len - 3) + frame.substring(6);
        List<Object> out = feed(ascii(wrong), Hj212FrameEncoder.frame(DATA));
        assertThat(out).first().isInstanceOf(Hj212FrameError.class).extracting("reason").isEqualTo("length-mismatch");
        assertThat(out).last().isInstanceOfSatisfying(Hj212Frame.class, f -> assertThat(f.crcOk()).isTrue());
        assertThat(out).filteredOn(o -> o instanceof Hj212Frame).hasSize(1);
    }

    @Test
    void truncatedFrameFollowedByAGoodOne() {
        byte[] f = Hj212FrameEncoder.frame(DATA);
        byte[] cut = java.util.Arrays.copyOf(f, f.length / 2);
        List<Object> out = feed(cut, f, f);
        assertThat(out).filteredOn(o -> o instanceof Hj212Frame fr && fr.crcOk()).hasSize(2);
        assertThat(out).first().isInstanceOf(Hj212FrameError.class);
    }

    @Test
    void oversizedAndNonNumericLengthsAreRefused() {
        List<Object> out = feed(ascii("##1500QN=1;&&ABCD\r\n##12x4"), Hj212FrameEncoder.frame(DATA));
        assertThat(out).filteredOn(o -> o instanceof Hj212FrameError).extracting("reason")
                .contains("too-large", "bad-length");
        assertThat(out).last().isInstanceOf(Hj212Frame.class);
    }

    @Test
    void keepsAHalfStartMarkerAcrossReads() {
        byte[] f = Hj212FrameEncoder.frame(DATA);
        List<Object> out = new ArrayList<>(feed(ascii("junk#")));
        out.addAll(feed(java.util.Arrays.copyOfRange(f, 1, f.length)));
        assertThat(out).last().isInstanceOfSatisfying(Hj212Frame.class, fr -> assertThat(fr.crcOk()).isTrue());
    }
}
