package io.safegrid.ingest.hj212;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes {@code ##}, the 4-digit byte length, the data segment, its CRC and CRLF. */
@ChannelHandler.Sharable
public final class Hj212FrameEncoder extends MessageToByteEncoder<Hj212Reply> {
    /** {@code ##} + 4 digits before the data segment; CRC + CRLF after it. */
    public static final int HEAD = 6;
    public static final int TAIL = 6;

    @Override
    protected void encode(ChannelHandlerContext ctx, Hj212Reply msg, ByteBuf out) {
        out.writeBytes(frame(msg.data()));
    }

    /** The whole frame for a data segment. */
    public static byte[] frame(String data) {
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        if (d.length > Hj212FrameDecoder.MAX_DATA) {
            throw new IllegalArgumentException("data segment of " + d.length + " bytes; at most " + Hj212FrameDecoder.MAX_DATA);
        }
        byte[] out = new byte[HEAD + d.length + TAIL];
        System.arraycopy(d, 0, out, HEAD, d.length);
        seal(out, d.length);
        return out;
    }

    /**
     * Fills in the head and tail of a frame whose data segment of {@code length} bytes already sits at
     * {@link #HEAD} in {@code frame}: {@code ##}, the length, the CRC and CRLF. Lets a sender patch a
     * prepared frame in place instead of building a string per frame.
     */
    public static void seal(byte[] frame, int length) {
        frame[0] = '#';
        frame[1] = '#';
        frame[2] = (byte) ('0' + length / 1000 % 10);
        frame[3] = (byte) ('0' + length / 100 % 10);
        frame[4] = (byte) ('0' + length / 10 % 10);
        frame[5] = (byte) ('0' + length % 10);
        int crcAt = HEAD + length;
        Hj212Crc.writeHex(Hj212Crc.of(frame, HEAD, length), frame, crcAt);
        frame[crcAt + 4] = '\r';
        frame[crcAt + 5] = '\n';
    }
}
