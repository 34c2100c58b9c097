package io.safegrid.ingest.hj212;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes {@code ##}, the 4-digit byte length, the data segment, its CRC and CRLF. */
@ChannelHandler.Sharable
public final class Hj212FrameEncoder extends MessageToByteEncoder<Hj212Reply> {

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
        String head = "##" + String.format("%04d", d.length);
        String tail = Hj212Crc.hex(Hj212Crc.of(d)) + "\r\n";
        byte[] out = new byte[head.length() + d.length + tail.length()];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        System.arraycopy(d, 0, out, head.length(), d.length);
        System.arraycopy(tail.getBytes(StandardCharsets.US_ASCII), 0, out, head.length() + d.length, tail.length());
        return out;
    }
}
