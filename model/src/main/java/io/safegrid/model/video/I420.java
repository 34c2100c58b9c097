package io.safegrid.model.video;

/**
 * I420 to packed BGR in plain Java, for the few places that need a colour picture of a frame and
 * have no OpenCV (the live view). BT.601 limited range with the same fixed-point constants as
 * OpenCV's {@code COLOR_YUV2BGR_I420}, so both give the same picture.
 */
final class I420 {
    private static final int SHIFT = 20;
    private static final int CY = 1220542;     // 1.164 << 20
    private static final int CUB = 2116026;    // 2.018
    private static final int CUG = -409993;    // -0.391
    private static final int CVG = -852492;    // -0.813
    private static final int CVR = 1673527;    // 1.596
    private static final int ROUND = 1 << (SHIFT - 1);

    private I420() {
    }

    static byte[] toBgr(byte[] yuv, int width, int height) {
        byte[] out = new byte[width * height * 3];
        int uPlane = width * height;
        int vPlane = uPlane + uPlane / 4;
        int cw = width / 2;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int crow = (y / 2) * cw;
            int o = row * 3;
            for (int x = 0; x < width; x++) {
                int yy = Math.max(0, (yuv[row + x] & 0xff) - 16) * CY;
                int u = (yuv[uPlane + crow + x / 2] & 0xff) - 128;
                int v = (yuv[vPlane + crow + x / 2] & 0xff) - 128;
                out[o++] = clamp((yy + CUB * u + ROUND) >> SHIFT);
                out[o++] = clamp((yy + CUG * u + CVG * v + ROUND) >> SHIFT);
                out[o++] = clamp((yy + CVR * v + ROUND) >> SHIFT);
            }
        }
        return out;
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
