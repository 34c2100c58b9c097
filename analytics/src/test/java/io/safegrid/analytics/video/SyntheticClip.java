package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.randu;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Writes small test clips through real FFmpeg (H.264 via libopenh264 in MPEG-TS): a textured
 * static background with sensor noise, and whatever the test draws on top at each moment.
 */
final class SyntheticClip {
    static final int W = 320;
    static final int H = 180;
    static final int FPS = 10;

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);   // no stream dumps in the test output
    }

    private SyntheticClip() {
    }

    /** A blocky, softened texture, like a yard seen from a pole; the same for a given seed. */
    static Mat background(long seed) {
        org.bytedeco.opencv.global.opencv_core.theRNG().state(seed);
        Mat coarse = new Mat(18, 32, CV_8UC3);
        try (Mat lo = new Mat(1, 1, CV_64F, new Scalar(60)); Mat hi = new Mat(1, 1, CV_64F, new Scalar(170))) {
            randu(coarse, lo, hi);
        }
        Mat bg = new Mat();
        resize(coarse, bg, new Size(W, H), 0, 0, INTER_NEAREST);
        GaussianBlur(bg, bg, new Size(3, 3), 0);
        coarse.close();
        return bg;
    }

    /** Adds a little per-frame sensor noise, as every live camera has. */
    static void noise(Mat frame) {
        try (Mat n = new Mat(frame.rows(), frame.cols(), CV_8UC3);
             Mat lo = new Mat(1, 1, CV_64F, new Scalar(0)); Mat hi = new Mat(1, 1, CV_64F, new Scalar(13))) {
            randu(n, lo, hi);
            add(frame, n, frame);
        }
    }

    /** The camera's on-screen clock, as nearly every site camera burns into its picture. */
    static void osd(Mat f, double t) {
        int s = (int) t;
        String clock = String.format("2026-11-29 02:%02d:%02d", 40 + s / 60, s % 60);
        org.bytedeco.opencv.global.opencv_imgproc.putText(f, clock, new org.bytedeco.opencv.opencv_core.Point(4, 12),
                org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_PLAIN, 0.8, new Scalar(255, 255, 255, 0), 1, 8, false);
    }

    /**
     * Renders {@code seconds} of video. {@code draw} gets a fresh copy of the background and the
     * time in seconds; it draws on it (noise is added afterwards unless it returns a frozen frame).
     */
    static Path write(Path dir, String name, double seconds, BiConsumer<Mat, Double> draw) throws Exception {
        return write(dir, name, seconds, draw, true);
    }

    static Path write(Path dir, String name, double seconds, BiConsumer<Mat, Double> draw, boolean addNoise)
            throws Exception {
        Path file = dir.resolve(name + ".ts");
        Files.createDirectories(dir);
        try (Mat bg = background(7);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), W, H, 0)) {
            rec.setFormat("mpegts");
            rec.setVideoCodecName("libopenh264");
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(FPS);
            rec.setGopSize(FPS * 2);
            rec.setVideoBitrate(1_000_000);
            rec.start();
            int n = (int) Math.round(seconds * FPS);
            for (int i = 0; i < n; i++) {
                double t = i / (double) FPS;
                try (Mat f = bg.clone()) {
                    if (addNoise) {
                        noise(f);
                    }
                    osd(f, t);
                    draw.accept(f, t);
                    rec.record(conv.convert(f));
                }
            }
            rec.stop();
        }
        return file;
    }
}
