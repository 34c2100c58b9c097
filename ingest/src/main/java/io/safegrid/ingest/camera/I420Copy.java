package io.safegrid.ingest.camera;

import io.safegrid.picture.NativePixels;
import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/**
 * A decoded I420 picture packed without row padding, the layout frames travel in: into native
 * memory for the intake's frames, into an array for {@code safegrid eval}'s replay.
 */
public final class I420Copy {
    private I420Copy() {
    }

    /**
     * Copies an I420 picture (JavaCV's one buffer: Y rows of {@code imageStride}, then U and V rows of
     * half that) into width*height*3/2 bytes without row padding; one bulk copy when there is none.
     */
    public static byte[] of(Frame f) {
        if (!fits(f)) {
            return null;
        }
        byte[] out = new byte[f.imageWidth * f.imageHeight * 3 / 2];
        copy(f, ByteBuffer.wrap(out));
        return out;
    }

    /** Like {@link #of}, into new native pixels with the caller as their one holder; null if the picture is not I420. */
    public static NativePixels toNative(Frame f) {
        if (!fits(f)) {
            return null;
        }
        NativePixels out = NativePixels.allocate(f.imageWidth * f.imageHeight * 3 / 2);
        copy(f, out.buffer());
        return out;
    }

    private static boolean fits(Frame f) {
        int w = f.imageWidth;
        int h = f.imageHeight;
        int stride = f.imageStride;
        return f.image != null && f.imageDepth == Frame.DEPTH_UBYTE && w % 2 == 0 && h % 2 == 0 && stride >= w
                && f.image[0].capacity() >= stride * h * 3 / 2;
    }

    /** Direct to direct buffer (the intake's case) is one memcpy per row run, no Java array in between. */
    private static void copy(Frame f, ByteBuffer out) {
        int w = f.imageWidth;
        int h = f.imageHeight;
        int stride = f.imageStride;
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        src.limit(src.capacity());   // JavaCV's limit covers only the Y plane
        out.clear();
        if (stride == w) {
            src.position(0).limit(w * h * 3 / 2);
            out.put(src);
            return;
        }
        for (int y = 0; y < h; y++) {
            src.limit(y * stride + w).position(y * stride);
            out.put(src);
        }
        int planeStart = stride * h;
        for (int plane = 0; plane < 2; plane++, planeStart += stride / 2 * (h / 2)) {
            for (int y = 0; y < h / 2; y++) {
                int from = planeStart + y * (stride / 2);
                src.limit(from + w / 2).position(from);
                out.put(src);
            }
        }
    }
}
