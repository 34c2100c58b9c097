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
