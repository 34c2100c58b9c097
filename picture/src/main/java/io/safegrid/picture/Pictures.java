package io.safegrid.picture;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.safegrid.model.video.VideoFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/** A frame's pixels as an OpenCV picture, I420 to BGR, and JPEG. */
public final class Pictures {
    private Pictures() {
    }

    /**
     * Fills {@code into} with the frame's pixels as OpenCV holds them, reusing its memory when the size
     * and layout are unchanged: {@code height * 3 / 2} rows of one byte for I420, {@code height} rows
     * of three for BGR.
     */
    public static Mat load(VideoFrame f, Mat into) {
        boolean i420 = f.format() == VideoFrame.Format.I420;
        int rows = i420 ? f.height() * 3 / 2 : f.height();
        into.create(rows, f.width(), i420 ? opencv_core.CV_8UC1 : opencv_core.CV_8UC3);
        if (f.pixels() instanceof NativePixels n) {
            org.bytedeco.javacpp.Pointer.memcpy(into.data(), n.pointer(), n.length());
        } else {
            byte[] b = f.pixels().toArray();
            into.data().put(b, 0, b.length);
        }
        return into;
    }

    /**
     * The frame's pixels as an OpenCV picture (rows as {@link #load}): over the frame's own native
     * memory when it has some (no copy: read it only, and only while the frame is held), else a copy
     * into a new picture. Close it when done; closing frees only the header.
     */
    public static Mat view(VideoFrame f) {
        if (f.pixels() instanceof NativePixels n) {
            boolean i420 = f.format() == VideoFrame.Format.I420;
            return new Mat(i420 ? f.height() * 3 / 2 : f.height(), f.width(), i420 ? opencv_core.CV_8UC1 : opencv_core.CV_8UC3,
                    n.pointer());
        }
        return load(f, new Mat());
    }

    /** The frame as a new BGR picture (streams come as I420 and are converted). */
    public static Mat bgr(VideoFrame f) {
        Mat out = new Mat();
        try (Mat raw = view(f)) {
            if (f.format() == VideoFrame.Format.I420) {
                i420ToBgr(raw, out);
            } else {
                raw.copyTo(out);
            }
        }
        return out;
    }

    /** An I420 picture ({@code height * 3 / 2} rows) as BGR. */
    public static void i420ToBgr(Mat i420, Mat bgr) {
        cvtColor(i420, bgr, COLOR_YUV2BGR_I420);
    }

    /** JPEG bytes of a BGR picture. */
    public static byte[] jpeg(Mat bgr, int quality) {
        try (BytePointer out = new BytePointer();
             IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, quality)) {
            if (!opencv_imgcodecs.imencode(".jpg", bgr, out, params)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }
}
