package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import io.safegrid.model.device.Zone;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/** Decodes a clip with FFmpeg and runs a {@link CameraAnalyzer} over it at 5 fps, as I420 (the intake's frames) or BGR. */
final class ClipRun {
    private ClipRun() {
    }

    /**
     * The HOG fallback detector: the synthetic clips draw stick figures, which HOG's edge model
     * takes for people and a neural detector trained on photographs rightly does not.
     */
    static final io.safegrid.analytics.video.detect.DetectorPool HOG =
            io.safegrid.analytics.video.detect.DetectorPool.of(new io.safegrid.analytics.video.detect.HogDetector());

    static List<Detection> analyse(Path clip, List<Zone> zones, Set<String> analyzers) throws Exception {
        return analyse(clip, zones, analyzers, 0);
    }

    /** @param width analysis width the decoder scales to (16:9), as the intake does; 0 = the clip's own */
    static List<Detection> analyse(Path clip, List<Zone> zones, Set<String> analyzers, int width) throws Exception {
        try (CameraAnalyzer analyzer = new CameraAnalyzer(zones, analyzers, HOG, ObjectStage.Params.defaults())) {
            return analyse(clip, analyzer, width);
        }
    }

    static List<Detection> analyse(Path clip, CameraAnalyzer analyzer, int width) throws Exception {
        return analyse(clip, analyzer, width, false);
    }

    /**
     * @param bgr false: the decoder's I420, as the intake publishes streams ({@link CameraAnalyzer#analyzeI420});
     *            true: BGR pictures, as snapshots and {@code safegrid analyze} give ({@link CameraAnalyzer#analyze})
     */
    static List<Detection> analyse(Path clip, CameraAnalyzer analyzer, int width, boolean bgr) throws Exception {
        List<Detection> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.setPixelFormat(bgr ? avutil.AV_PIX_FMT_BGR24 : avutil.AV_PIX_FMT_YUV420P);
            if (width > 0) {
                g.setImageWidth(width);
                g.setImageHeight(width * 9 / 16);
            }
            g.start();
            double next = 0;
            Frame f;
            while ((f = g.grabImage()) != null) {
                double t = f.timestamp / 1e6;
                if (t + 1e-6 < next) {
                    continue;
                }
                next = t + 0.2;
                if (bgr) {
                    Mat m = conv.convert(f);
                    for (Detection d : analyzer.analyze(m, t)) {
                        out.add(checked(d, analyzer.snapshot(m, d)));
                    }
                } else {
                    try (BytePointer p = i420(f);
                         Mat m = new Mat(f.imageHeight * 3 / 2, f.imageWidth, CV_8UC1, p)) {
                        for (Detection d : analyzer.analyzeI420(m, f.imageWidth, f.imageHeight, t)) {
                            out.add(checked(d, analyzer.snapshot(d)));
                        }
                    }
                }
            }
            g.stop();
        }
        return out;
    }

    /** The snapshot must render for every detection. */
    private static Detection checked(Detection d, byte[] snapshot) {
        if (snapshot.length < 1000) {
            throw new AssertionError("snapshot too small for " + d);
        }
        return d;
    }

    /** The grabber's I420 picture as it lies (Y rows, then U and V), no copy: its rows must not be padded. */
    static BytePointer i420(Frame f) {
        if (f.imageChannels != 1 || f.imageStride != f.imageWidth) {
            throw new IllegalStateException("not unpadded I420: " + f.imageChannels + " channel(s), stride "
                    + f.imageStride + " for width " + f.imageWidth);
        }
        return new BytePointer((java.nio.ByteBuffer) f.image[0]);
    }
}
