package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Shrinks an I420 picture (Y rows, then U and V at half size, in one buffer) to a smaller I420
 * picture, plane by plane with {@code INTER_AREA}, so that colour is made only at the small size.
 * Everything is kept from frame to frame: the small picture, the headers over its planes, and the
 * headers over the caller's planes while the caller's buffer stays the same (a JavaCPP {@code Mat}
 * costs a few microseconds to make and free, and ten of them a frame would be a visible share).
 * One camera's thread at a time.
 */
final class I420Shrink implements AutoCloseable {
    private final Mat out = new Mat();
    private final Mat gray = new Mat();
    private final Mat[] outPlanes = new Mat[3];
    private int outWidth;
    private int outHeight;
    private final Mat[] inPlanes = new Mat[3];
    private long inAddress;
    private int inWidth;
    private int inHeight;
    private final Mat[] halves = {new Mat(), new Mat(), new Mat()};
    private final Size[] sizes = new Size[3];
    private final Size none = new Size();

    /**
     * @param i420 {@code height * 3 / 2} rows of {@code width} bytes
     * @param w    even width to shrink to, at most {@code width}
     * @param h    even height to shrink to, at most {@code height}
     * @return the small I420 picture ({@code h * 3 / 2} rows of {@code w}), valid until the next call
     */
    Mat shrink(Mat i420, int width, int height, int w, int h) {
        if (w != outWidth || h != outHeight) {
            out.create(h * 3 / 2, w, CV_8UC1);
            planes(out, w, h, outPlanes);
            for (int p = 0; p < 3; p++) {
                if (sizes[p] != null) {
                    sizes[p].close();
                }
                sizes[p] = p == 0 ? new Size(w, h) : new Size(w / 2, h / 2);
            }
            outWidth = w;
            outHeight = h;
        }
        long address = i420.data().address();
        if (address != inAddress || width != inWidth || height != inHeight) {
            planes(i420, width, height, inPlanes);
            inAddress = address;
            inWidth = width;
            inHeight = height;
        }
        for (int p = 0; p < 3; p++) {
            halveThenResize(inPlanes[p], outPlanes[p], sizes[p], halves[p]);
        }
        return out;
    }

    /**
     * The small picture's grey, from its Y plane stretched to full range. H.264's Y runs from 16 to
     * 235; the analyzers' limits (tamper's dark mean 25, the gate's 20 levels, smoke's 14) were set on
     * OpenCV's grey of a BGR picture, which is exactly 255/219 * (Y - 16), so that is what they get.
     */
    Mat gray() {
        outPlanes[0].convertTo(gray, -1, 255.0 / 219, -16 * 255.0 / 219);
        return gray;
    }

    /**
     * {@code INTER_AREA} has a vectorised path for halving only: 640x360 to 160x90 in one step cost
     * about four times two halvings. So halve while the picture is at least twice the target, then
     * scale the rest (the average of averages of 2x2 is the average of 4x4, up to rounding).
     */
    private void halveThenResize(Mat src, Mat dst, Size to, Mat tmp) {
        Mat s = src;
        while (s.cols() >= 2 * to.width() && s.rows() >= 2 * to.height()) {
            boolean last = s.cols() / 2 == to.width() && s.rows() / 2 == to.height();
            if (last) {
                resize(s, dst, to, 0, 0, INTER_AREA);
                return;
            }
            resize(s, tmp, none, 0.5, 0.5, INTER_AREA);
            s = tmp;
        }
        resize(s, dst, to, 0, 0, INTER_AREA);
    }

    /** Headers over the three planes of an I420 buffer (the old ones freed). */
    private static void planes(Mat i420, int width, int height, Mat[] into) {
        long y = (long) width * height;
        long[] offsets = {0, y, y + y / 4};
        for (int p = 0; p < 3; p++) {
            if (into[p] != null) {
                into[p].close();
            }
            int rows = p == 0 ? height : height / 2;
            int cols = p == 0 ? width : width / 2;
            into[p] = new Mat(rows, cols, CV_8UC1, new BytePointer(i420.data()).position(offsets[p]), cols);
        }
    }

    @Override
    public void close() {
        out.close();
        gray.close();
        none.close();
        for (int p = 0; p < 3; p++) {
            halves[p].close();
            for (AutoCloseable c : new AutoCloseable[] {outPlanes[p], inPlanes[p], sizes[p]}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }
}
