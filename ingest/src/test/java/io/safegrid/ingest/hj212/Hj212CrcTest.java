package io.safegrid.ingest.hj212;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Hj212CrcTest {
    /** The standard's own example (HJ 212-2017), CRC 1C80. */
    static final String EXAMPLE_DATA =
            "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";
    static final String EXAMPLE_FRAME = "##0101" + EXAMPLE_DATA + "1C80\r\n";

    @Test
    void standardExampleGives1C80() {
        assertThat(Hj212Crc.hex(Hj212Crc.of(EXAMPLE_DATA))).isEqualTo("1C80");
    }

    @Test
    void isNotModbusCrc16WhichGives0759() {
        assertThat(Hj212Crc.hex(modbus(EXAMPLE_DATA.getBytes(StandardCharsets.US_ASCII)))).isEqualTo("0759");
        assertThat(Hj212Crc.of(EXAMPLE_DATA)).isNotEqualTo(modbus(EXAMPLE_DATA.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void encoderRebuildsTheExampleFrameByteForByte() {
        assertThat(new String(Hj212FrameEncoder.frame(EXAMPLE_DATA), StandardCharsets.US_ASCII)).isEqualTo(EXAMPLE_FRAME);
    }

    @Test
    void lengthCountsUtf8BytesNotCharacters() {
        String data = "ST=32;CN=2011;PW=1;MN=站点1;Flag=4;CP=&&&&";
        String frame = new String(Hj212FrameEncoder.frame(data), StandardCharsets.UTF_8);
        assertThat(frame).startsWith(String.format("##%04d", data.getBytes(StandardCharsets.UTF_8).length));
        assertThat(data.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(data.length());
    }

    @Test
    void tableGivesWhatTheStandardsBitwiseLoopGives() {
        java.util.Random random = new java.util.Random(212);
        for (int n = 0; n < 2000; n++) {
            byte[] data = new byte[random.nextInt(1025)];
            random.nextBytes(data);
            assertThat(Hj212Crc.of(data)).as("%d random bytes", data.length).isEqualTo(appendixA(data));
        }
        assertThat(Hj212Crc.of(new byte[0])).isEqualTo(0xFFFF);
    }

    @Test
    void sameCrcOverHeapDirectAndCompositeBuffersInPlace() {
        byte[] data = EXAMPLE_DATA.getBytes(StandardCharsets.US_ASCII);
        io.netty.buffer.ByteBuf heap = io.netty.buffer.Unpooled.buffer(256).writeZero(3).writeBytes(data);
        io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer().writeZero(5).writeBytes(data);
        io.netty.buffer.ByteBuf composite = io.netty.buffer.Unpooled.wrappedBuffer(
                io.netty.buffer.Unpooled.wrappedBuffer(data, 0, 40), io.netty.buffer.Unpooled.wrappedBuffer(data, 40, data.length - 40));
        try {
            assertThat(Hj212Crc.of(heap, 3, data.length)).isEqualTo(0x1C80);
            assertThat(Hj212Crc.of(direct, 5, data.length)).isEqualTo(0x1C80);
            assertThat(Hj212Crc.of(composite, 0, data.length)).isEqualTo(0x1C80);
            assertThat(Hj212Crc.of(io.netty.buffer.Unpooled.wrappedBuffer(data).slice(10, 20), 0, 20))
                    .isEqualTo(appendixA(java.util.Arrays.copyOfRange(data, 10, 30)));
        } finally {
            heap.release();
            direct.release();
            composite.release();
        }
    }

    @Test
    void hexIsFourUpperCaseDigits() {
        assertThat(Hj212Crc.hex(0x1C80)).isEqualTo("1C80");
        assertThat(Hj212Crc.hex(0x000A)).isEqualTo("000A");
        assertThat(Hj212Crc.hex(0xFFFF)).isEqualTo("FFFF");
    }

    /** The standard's Appendix A loop as written there: shift the register by 8, XOR the byte, 8 rounds. */
    private static int appendixA(byte[] data) {
        int reg = 0xFFFF;
        for (byte b : data) {
            reg = (reg >> 8) ^ (b & 0xFF);
            for (int i = 0; i < 8; i++) {
                boolean carry = (reg & 1) != 0;
                reg >>= 1;
                if (carry) {
                    reg ^= 0xA001;
                }
            }
        }
        return reg;
    }

    /** Modbus CRC16, written out here only to show the difference: XOR first, then shift. */
    private static int modbus(byte[] data) {
        int reg = 0xFFFF;
        for (byte b : data) {
            reg ^= b & 0xFF;
            for (int i = 0; i < 8; i++) {
                boolean carry = (reg & 1) != 0;
                reg >>= 1;
                if (carry) {
                    reg ^= 0xA001;
                }
            }
        }
        return reg;
    }
}
