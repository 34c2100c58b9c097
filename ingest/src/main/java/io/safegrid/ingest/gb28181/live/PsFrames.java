package io.safegrid.ingest.gb28181.live;

import java.util.ArrayList;
import java.util.List;

/**
 * Where video frames begin in an MPEG program stream: a video PES (stream id 0xE0–0xEF) that carries a
 * PTS holds the start of a frame, as muxers put the PTS only on a PES in which an access unit starts.
 * Cameras give each frame its own PES packets; FFmpeg's muxer fills 2 KB packs, so a frame's tail shares
 * a PES with the next frame's start, and frames smaller than a pack may share one PTS. Reads
 * both MPEG-2 PES headers (GB/T 28181 devices) and MPEG-1 system ones (FFmpeg's {@code mpeg} muxer).
 * Used to time the first whole frame of a live stream and to pace a recorded stream frame by frame.
 */
public final class PsFrames {
    /** Not a frame start. */
    static final long NONE = -1;
    /** The header runs past the bytes given. */
    static final long MORE = -2;

    private PsFrames() { }

    /**
     * @param i where {@code 00 00 01} starts
     * @return the PTS (90 kHz) when a video PES with a PTS starts at {@code i}, {@link #NONE} when not,
     *         {@link #MORE} when the bytes end inside its header
     */
    static long ptsAt(byte[] b, int i, int end) {
        if (i + 4 > end) {
            return MORE;
        }
        if (b[i] != 0 || b[i + 1] != 0 || b[i + 2] != 1 || (b[i + 3] & 0xF0) != 0xE0) {
            return NONE;
        }
        int p = i + 6;
        if (p >= end) {
            return MORE;
        }
        if ((b[p] & 0xC0) == 0x80) {   // MPEG-2: flags byte, PTS flag in its top bit
            if (p + 3 >= end) {
                return MORE;
            }
            return (b[p + 1] & 0x80) == 0 ? NONE : pts(b, p + 3, end);
        }
        while (p < end && (b[p] & 0xFF) == 0xFF) {   // MPEG-1: stuffing, STD buffer, then the PTS
            p++;
        }
        if (p < end && (b[p] & 0xC0) == 0x40) {
            p += 2;
        }
        if (p >= end) {
            return MORE;
        }
        int kind = b[p] & 0xF0;
        return kind == 0x20 || kind == 0x30 ? pts(b, p, end) : NONE;
    }

    private static long pts(byte[] b, int p, int end) {
        if (p + 5 > end) {
            return MORE;
        }
        return ((b[p] & 0x0EL) << 29) | ((b[p + 1] & 0xFFL) << 22) | ((b[p + 2] & 0xFEL) << 14)
                | ((b[p + 3] & 0xFFL) << 7) | ((b[p + 4] & 0xFEL) >> 1);
    }

    /** A frame's start in a whole stream: its byte offset and PTS. */
    public record Start(int offset, long pts) { }

    /** The frame starts of a whole recorded stream, in order. */
    public static List<Start> starts(byte[] ps) {
        List<Start> out = new ArrayList<>();
        for (int i = 0; i + 3 < ps.length; i++) {
            if (ps[i + 2] == 1 && ps[i] == 0 && ps[i + 1] == 0) {
                long pts = ptsAt(ps, i, ps.length);
                if (pts >= 0) {
                    out.add(new Start(i, pts));
                }
            }
        }
        return out;
    }

    /**
     * Watches a stream arriving in pieces for the start of the second PES with a PTS, that is the end of
     * the first frame (a live stream starts with a key frame) or, where a muxer packs a frame's tail with
     * the next frame, the PES that carries that tail. Bytes that may hold a start code or a PES header cut
     * between two RTP packets are kept and looked at again with the next piece.
     */
    static final class FirstFrame {
        private byte[] tail = new byte[0];
        private int seen;
        private boolean done;

        /** @return true once the first frame is complete */
        boolean feed(byte[] piece, int off, int len) {
            if (done) {
                return true;
            }
            byte[] b = new byte[tail.length + len];
            System.arraycopy(tail, 0, b, 0, tail.length);
            System.arraycopy(piece, off, b, tail.length, len);
            int from = Math.max(0, b.length - 3);
            for (int i = 0; i + 3 < b.length; i++) {
                if (b[i + 2] != 1 || b[i] != 0 || b[i + 1] != 0) {
                    continue;
                }
                long pts = ptsAt(b, i, b.length);
                if (pts == MORE) {
                    from = i;
                    break;
                }
                if (pts >= 0 && ++seen == 2) {
                    done = true;
                    tail = null;
                    return true;
                }
            }
            tail = java.util.Arrays.copyOfRange(b, Math.max(from, b.length - 64), b.length);
            return false;
        }
    }
}
