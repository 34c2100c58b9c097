package io.safegrid.ingest.camera;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns an uploaded JPEG into packed BGR at the camera's analysis size. The header is read first
 * so that a small file claiming a huge picture (a decompression bomb) is refused before OpenCV
 * allocates it, and a big picture is decoded at 1/2, 1/4 or 1/8 scale when that still covers the
 * analysis size (much cheaper than decoding it whole and shrinking).
 */
final class JpegPicture {
    /** 8K UHD is the largest camera picture we expect. */
    static final int MAX_SIDE = 8192;

    /** Why a body is not a usable picture; the message is meant for the uploader. */
    static final class BadPicture extends Exception {
        BadPicture(String message) { super(message); }
    }

    private JpegPicture() {
    }

    /** Width and height from the first SOF marker. */
    static int[] size(byte[] jpeg) throws BadPicture {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8 || (jpeg[2] & 0xff) != 0xFF) {
            throw new BadPicture("not a JPEG (no SOI marker)");
        }
        int i = 2;
        while (i + 9 < jpeg.length) {
            if ((jpeg[i] & 0xff) != 0xFF) {
                throw new BadPicture("not a JPEG (broken marker at byte " + i + ")");
            }
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xFF) {   // fill byte
                i++;
                continue;
            }
            int len = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                int h = ((jpeg[i + 5] & 0xff) << 8) | (jpeg[i + 6] & 0xff);
                int w = ((jpeg[i + 7] & 0xff) << 8) | (jpeg[i + 8] & 0xff);
                return new int[] {w, h};
            }
            if (marker == 0xDA || len < 2) {
                break;
            }
            i += 2 + len;
        }
        throw new BadPicture("not a JPEG (no frame header)");
    }

    /** Decodes and scales to {@code width x height}; packed BGR, {@code width * height * 3} bytes. */
    static byte[] decode(byte[] jpeg, int width, int height) throws BadPicture {
        int[] wh = size(jpeg);
        if (wh[0] < 1 || wh[1] < 1 || wh[0] > MAX_SIDE || wh[1] > MAX_SIDE) {
            throw new BadPicture("picture " + wh[0] + "x" + wh[1] + " outside 1.." + MAX_SIDE + " pixels a side");
        }
        int reduce = 1;
        while (reduce < 8 && wh[0] / (reduce * 2) >= width && wh[1] / (reduce * 2) >= height) {
            reduce *= 2;
        }
        int flag = switch (reduce) {
            case 2 -> opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
            case 4 -> opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
            case 8 -> opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
            default -> opencv_imgcodecs.IMREAD_COLOR;
        };
        try (BytePointer data = new BytePointer(jpeg);
             Mat buf = new Mat(1, jpeg.length, opencv_core.CV_8UC1, data);
             Mat picture = opencv_imgcodecs.imdecode(buf, flag)) {
            if (picture.empty()) {
                throw new BadPicture("JPEG could not be decoded");
            }
            if (picture.cols() == width && picture.rows() == height) {
                return pack(picture);
            }
            try (Mat scaled = new Mat(); Size size = new Size(width, height)) {
                opencv_imgproc.resize(picture, scaled, size, 0, 0, opencv_imgproc.INTER_AREA);
                return pack(scaled);
            }
        }
    }

    private static byte[] pack(Mat m) {
        byte[] out = new byte[m.cols() * m.rows() * 3];
        if (m.isContinuous()) {
            m.data().get(out);
        } else {
            try (Mat c = m.clone()) {
                c.data().get(out);
            }
        }
        return out;
    }
}
