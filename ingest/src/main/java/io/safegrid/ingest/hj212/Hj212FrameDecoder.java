package io.safegrid.ingest.hj212;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cuts HJ 212 frames ({@code ##} + 4-digit length + data + 4 hex CRC + CRLF) out of a TCP stream,
 * whatever the packet boundaries. Anything that is not a frame is skipped by scanning for the next
 * {@code ##}, and reported downstream as a {@link Hj212FrameError}, so one bad frame costs only
 * itself: the connection and the frames after it go on. Emits {@link Hj212Frame}s.
 */
public final class Hj212FrameDecoder extends ByteToMessageDecoder {
    /** Largest data segment the standard allows. */
    public static final int MAX_DATA = 1024;
    /** {@code ##} + length, and CRC + CRLF. */
    private static final int HEAD = 6;
    private static final int TAIL = 6;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = indexOfStart(in);
            if (start < 0) {
                // keep a trailing '#': it may be the first half of the next start
                int keep = in.getByte(in.writerIndex() - 1) == '#' ? 1 : 0;
                int skip = in.readableBytes() - keep;
                if (skip > 0) {
                    out.add(new Hj212FrameError("garbage", skip + " bytes without a frame start"));
                    in.skipBytes(skip);
                }
                return;
            }
            if (start > in.readerIndex()) {
                out.add(new Hj212FrameError("garbage", (start - in.readerIndex()) + " bytes before a frame start"));
                in.readerIndex(start);
            }
            if (in.readableBytes() < HEAD) {
                return;
            }
            int len = length(in, start + 2);
            if (len < 0) {
                out.add(new Hj212FrameError("bad-length", "length field is not 4 digits: "
                        + in.toString(start + 2, 4, StandardCharsets.US_ASCII)));
                in.skipBytes(2);
                continue;
            }
            if (len > MAX_DATA) {
                out.add(new Hj212FrameError("too-large", "data segment of " + len + " bytes; at most " + MAX_DATA));
                in.skipBytes(2);
                continue;
            }
            int total = HEAD + len + TAIL;
            int crcAt = start + HEAD + len;
            // a data segment never holds CR LF: one before the declared end means a wrong length or a
            // truncated frame, so resync now instead of waiting for bytes that belong to the next frame
            int crlf = indexOfCrlf(in, start + HEAD, Math.min(in.writerIndex(), crcAt + 6));
            if (crlf >= 0 && crlf != crcAt + 4) {
                out.add(new Hj212FrameError("length-mismatch", "frame ends before length " + len + " says"));
                in.skipBytes(2);
                continue;
            }
            if (in.readableBytes() < total) {
                return;
            }
            if (in.getByte(crcAt + 4) != '\r' || in.getByte(crcAt + 5) != '\n') {
                out.add(new Hj212FrameError("length-mismatch", "no CRLF where length " + len + " ends the frame"));
                in.skipBytes(2);
                continue;
            }
            String crcText = in.toString(crcAt, 4, StandardCharsets.US_ASCII);
            int carried = hex(crcText);
            boolean ok = carried >= 0 && carried == Hj212Crc.of(in, start + HEAD, len);
            String data = in.toString(start + HEAD, len, StandardCharsets.UTF_8);
            in.skipBytes(total);
            out.add(new Hj212Frame(data, crcText, ok));
        }
    }

    private static int indexOfStart(ByteBuf in) {
        for (int i = in.readerIndex(); i < in.writerIndex() - 1; i++) {
            if (in.getByte(i) == '#' && in.getByte(i + 1) == '#') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfCrlf(ByteBuf in, int from, int to) {
        for (int i = from; i < to - 1; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int length(ByteBuf in, int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    private static int hex(String s) {
        try {
            return s.length() == 4 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? Integer.parseInt(s, 16) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
