package io.safegrid.ingest.hj212;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/**
 * The CRC of HJ 212-2017 Appendix A, over the data segment's bytes. Not Modbus CRC16: the
 * register is shifted right by 8 and then XORed with the byte (Modbus XORs first), so the
 * standard's example frame gives 1C80 where Modbus would give 0759.
 *
 * <p>Because the shift comes first, the value entering the eight shift/XOR rounds is only 8 bits
 * wide ({@code (reg >> 8) ^ byte}), so each byte is exactly one lookup in a 256-entry table of
 * those rounds' results.
 */
public final class Hj212Crc {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int reg = i;
            for (int bit = 0; bit < 8; bit++) {
                reg = (reg & 1) != 0 ? (reg >>> 1) ^ 0xA001 : reg >>> 1;
            }
            TABLE[i] = reg;
        }
    }

    private Hj212Crc() {
    }

    public static int of(byte[] data) {
        return of(data, 0, data.length);
    }

    public static int of(byte[] data, int offset, int length) {
        int reg = 0xFFFF;
        for (int i = offset; i < offset + length; i++) {
            reg = TABLE[((reg >>> 8) ^ data[i]) & 0xFF];
        }
        return reg;
    }

    /** Over {@code length} bytes of {@code buf} from {@code index}, read in place (heap, direct or composite). */
    public static int of(ByteBuf buf, int index, int length) {
        if (buf.hasArray()) {
            return of(buf.array(), buf.arrayOffset() + index, length);
        }
        Register r = new Register();
        buf.forEachByte(index, length, r);
        return r.reg;
    }

    public static int of(String dataSegment) { return of(dataSegment.getBytes(StandardCharsets.UTF_8)); }

    /** Four upper-case hex digits, as frames carry it. */
    public static String hex(int crc) {
        return new String(new char[] {HEX[crc >> 12 & 0xF], HEX[crc >> 8 & 0xF], HEX[crc >> 4 & 0xF], HEX[crc & 0xF]});
    }

    /** Writes the four hex digits at {@code at}. */
    public static void writeHex(int crc, byte[] to, int at) {
        to[at] = (byte) HEX[crc >> 12 & 0xF];
        to[at + 1] = (byte) HEX[crc >> 8 & 0xF];
        to[at + 2] = (byte) HEX[crc >> 4 & 0xF];
        to[at + 3] = (byte) HEX[crc & 0xF];
    }

    private static final class Register implements ByteProcessor {
        int reg = 0xFFFF;

        @Override
        public boolean process(byte b) {
            reg = TABLE[((reg >>> 8) ^ b) & 0xFF];
            return true;
        }
    }
}
