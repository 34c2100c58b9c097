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
            int carried = hex(in, crcAt);
            boolean ok = carried >= 0 && carried == Hj212Crc.of(in, start + HEAD, len);
            String crcText = in.toString(crcAt, 4, StandardCharsets.US_ASCII);
            String data = in.toString(start + HEAD, len, StandardCharsets.UTF_8);
            in.skipBytes(total);
            out.add(new Hj212Frame(data, crcText, ok));
        }
    }

    /** The next {@code ##}, found with the buffer's own byte search rather than a getByte per byte. */
    private static int indexOfStart(ByteBuf in) {
        int end = in.writerIndex();
        int i = in.readerIndex();
        while (i < end - 1) {
            int hash = in.indexOf(i, end - 1, (byte) '#');
            if (hash < 0) {
                return -1;
            }
            if (in.getByte(hash + 1) == '#') {
                // a length is digits, so in a run of '#' only the last two start the frame: a stray '#'
                // before "##" must not make the real start look like a bad length
                while (hash + 2 < end && in.getByte(hash + 2) == '#') {
                    hash++;
                }
                return hash;
            }
            i = hash + 1;
        }
        return -1;
    }

    private static int indexOfCrlf(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to - 1) {
            int cr = in.indexOf(i, to - 1, (byte) '\r');
            if (cr < 0) {
                return -1;
            }
            if (in.getByte(cr + 1) == '\n') {
                return cr;
            }
            i = cr + 1;
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

    /** The 4 hex digits at {@code at} (either case), or -1. */
    private static int hex(ByteBuf in, int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(in.getByte(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
