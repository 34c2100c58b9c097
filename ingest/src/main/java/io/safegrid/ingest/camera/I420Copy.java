package io.safegrid.ingest.camera;

import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/** A decoded I420 picture as one array, the layout frames travel in (and {@code safegrid eval} replays). */
public final class I420Copy {
    private I420Copy() {
    }

    /**
     * Copies an I420 picture (JavaCV's one buffer: Y rows of {@code imageStride}, then U and V rows of
     * half that) into width*height*3/2 bytes without row padding; one bulk copy when there is none.
     */
    public static byte[] of(Frame f) {
        int w = f.imageWidth;
        int h = f.imageHeight;
        int stride = f.imageStride;
        if (f.image == null || f.imageDepth != Frame.DEPTH_UBYTE || w % 2 != 0 || h % 2 != 0 || stride < w
                || f.image[0].capacity() < stride * h * 3 / 2) {
            return null;
        }
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        src.limit(src.capacity());   // JavaCV's limit covers only the Y plane
        byte[] out = new byte[w * h * 3 / 2];
        if (stride == w) {
            src.position(0);
            src.get(out);
            return out;
        }
        int o = 0;
        for (int y = 0; y < h; y++, o += w) {
            src.position(y * stride);
            src.get(out, o, w);
        }
        int planeStart = stride * h;
        for (int plane = 0; plane < 2; plane++, planeStart += stride / 2 * (h / 2)) {
            for (int y = 0; y < h / 2; y++, o += w / 2) {
                src.position(planeStart + y * (stride / 2));
                src.get(out, o, w / 2);
            }
        }
        return out;
    }
}
