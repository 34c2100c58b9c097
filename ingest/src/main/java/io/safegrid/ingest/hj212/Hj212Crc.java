package io.safegrid.ingest.hj212;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The CRC of HJ 212-2017 Appendix A, over the data segment's bytes. Not Modbus CRC16: the
 * register is shifted right by 8 and then XORed with the byte (Modbus XORs first), so the
 * standard's example frame gives 1C80 where Modbus would give 0759.
 */
public final class Hj212Crc {
    private Hj212Crc() {
    }

    public static int of(byte[] data) {
        int reg = 0xFFFF;
        for (byte b : data) {
            reg = step(reg, b);
        }
        return reg;
    }

    public static int of(ByteBuf buf, int index, int length) {
        int reg = 0xFFFF;
        for (int i = index; i < index + length; i++) {
            reg = step(reg, buf.getByte(i));
        }
        return reg;
    }

    public static int of(String dataSegment) { return of(dataSegment.getBytes(StandardCharsets.UTF_8)); }

    /** Four upper-case hex digits, as frames carry it. */
    public static String hex(int crc) { return String.format("%04X", crc & 0xFFFF); }

    private static int step(int reg, byte b) {
        reg = (reg >> 8) ^ (b & 0xFF);
        for (int i = 0; i < 8; i++) {
            boolean carry = (reg & 1) != 0;
            reg >>= 1;
            if (carry) {
                reg ^= 0xA001;
            }
        }
        return reg;
    }
}
