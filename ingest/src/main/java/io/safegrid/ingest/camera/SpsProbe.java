package io.safegrid.ingest.camera;

/**
 * Reads the picture size that an H.264 or H.265 stream declares in its sequence parameter sets, from
 * the raw bytes as they arrive (Annex B byte stream, also inside MPEG-TS payloads), so that a stream
 * declaring a huge picture is refused before FFmpeg allocates for it. FFmpeg probes a stream with a
 * decoder that takes no options, so its {@code max_pixels} alone would come too late.
 *
 * <p>Feed it chunks in order; {@link #largestPixels()} is the largest width x height (before cropping)
 * seen so far. SPSs it cannot read are ignored. Not thread-safe.
 */
final class SpsProbe {
    /** Bytes kept from one chunk for the next: a start code split across chunks, or an SPS not yet complete. */
    private static final int MAX_CARRY = 512;

    private byte[] carry = new byte[0];
    private long largest;
    private int lastWidth;
    private int lastHeight;

    long largestPixels() { return largest; }

    int lastWidth() { return lastWidth; }

    int lastHeight() { return lastHeight; }

    /** Scans the next chunk of the stream. */
    void feed(byte[] chunk) {
        byte[] b = carry.length == 0 ? chunk : concat(carry, chunk);
        int keepFrom = Math.max(0, b.length - 3);
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] != 0 || b[i + 1] != 0 || b[i + 2] != 1) {
                continue;
            }
            int h = b[i + 3] & 0xff;
            boolean avc = (h & 0x80) == 0 && (h & 0x1f) == 7;
            boolean hevc = h == 0x42;
            if (!avc && !hevc) {
                continue;
            }
            int from = i + (avc ? 4 : 5);
            long[] size = parse(b, from, avc);
            if (size == null) {
                if (b.length - i < MAX_CARRY) {
                    keepFrom = Math.min(keepFrom, i);   // maybe incomplete: try again with the next chunk
                    break;
                }
                continue;
            }
            lastWidth = (int) size[0];
            lastHeight = (int) size[1];
            largest = Math.max(largest, size[0] * size[1]);
        }
        carry = java.util.Arrays.copyOfRange(b, keepFrom, b.length);
    }

    /** {width, height} of the SPS whose payload starts at {@code from}, or null if it cannot be read (yet). */
    static long[] parse(byte[] b, int from, boolean avc) {
        try {
            Bits r = new Bits(unescape(b, from, Math.min(b.length, from + 256)));
            return avc ? avc(r) : hevc(r);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    private static long[] avc(Bits r) {
        int profile = r.u(8);
        r.u(16);   // constraint flags, level
        r.ue();    // seq_parameter_set_id
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139 || profile == 134
                || profile == 135) {
            int chroma = r.ue();
            if (chroma == 3) {
                r.u(1);
            }
            r.ue();
            r.ue();
            r.u(1);
            if (r.u(1) == 1) {   // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
                    if (r.u(1) == 1) {
                        scalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue();   // log2_max_frame_num_minus4
        int pocType = r.ue();
        if (pocType == 0) {
            r.ue();
        } else if (pocType == 1) {
            r.u(1);
            r.se();
            r.se();
            int n = r.ue();
            for (int i = 0; i < n; i++) {
                r.se();
            }
        }
        r.ue();   // max_num_ref_frames
        r.u(1);
        long w = (r.ue() + 1L) * 16;
        long mapUnits = r.ue() + 1L;
        int frameMbsOnly = r.u(1);
        return new long[] {w, (2 - frameMbsOnly) * mapUnits * 16};
    }

    private static void scalingList(Bits r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && next != 0; j++) {
            next = (last + r.se() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    private static long[] hevc(Bits r) {
        r.u(4);   // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.u(3);
        r.u(1);
        r.u(8);   // general profile space, tier, profile idc
        r.u(32);  // compatibility flags
        r.u(32);
        r.u(16);  // progressive .. reserved (48 bits)
        r.u(8);   // general_level_idc
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.u(1) == 1;
            levelPresent[i] = r.u(1) == 1;
        }
        if (maxSubLayersMinus1 > 0) {
            for (int i = maxSubLayersMinus1; i < 8; i++) {
                r.u(2);
            }
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.u(32);
                r.u(32);
                r.u(24);
            }
            if (levelPresent[i]) {
                r.u(8);
            }
        }
        r.ue();   // sps_seq_parameter_set_id
        if (r.ue() == 3) {
            r.u(1);
        }
        return new long[] {r.ue(), r.ue()};
    }

    /** The RBSP: the bytes with emulation prevention (00 00 03) removed. */
    private static byte[] unescape(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < to; i++) {
            int v = b[i] & 0xff;
            if (zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            if (zeros >= 2 && v <= 2) {
                break;   // the next start code: the SPS ended
            }
            zeros = v == 0 ? zeros + 1 : 0;
            out[n++] = (byte) v;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Big-endian bit reader with Exp-Golomb codes; runs out with an IndexOutOfBoundsException. */
    private static final class Bits {
        private final byte[] b;
        private int pos;

        Bits(byte[] b) {
            this.b = b;
        }

        int u(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                int bit = (b[pos >> 3] >> (7 - (pos & 7))) & 1;
                pos++;
                v = v << 1 | bit;
            }
            return v;
        }

        int ue() {
            int zeros = 0;
            while (u(1) == 0) {
                if (++zeros > 31) {
                    throw new IllegalArgumentException("Exp-Golomb code too long");
                }
            }
            return (int) Math.min(Integer.MAX_VALUE, (1L << zeros) - 1 + (zeros == 0 ? 0 : (u(zeros) & 0xffffffffL)));
        }

        int se() {
            int k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }
}
