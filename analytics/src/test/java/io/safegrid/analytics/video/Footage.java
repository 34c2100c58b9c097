package io.safegrid.analytics.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/** Real recordings for tests, found by {@link io.safegrid.testing.SharedFootage}, and pictures from them. */
public final class Footage {
    private Footage() { }

    public static Path clip(String name) {
        return io.safegrid.testing.SharedFootage.clip(name);
    }

    /** A picture at each of {@code seconds}, decoded and scaled to {@code width x height}, BGR (the caller closes them). */
    public static List<Mat> frames(Path clip, int width, int height, double... seconds) throws Exception {
        List<Mat> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile()); OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.setImageWidth(width);
            g.setImageHeight(height);
            g.start();
            for (double s : seconds) {
                g.setTimestamp((long) (s * 1_000_000));
                Frame f = g.grabImage();
                out.add(conv.convert(f).clone());
            }
            g.stop();
        }
        return out;
    }
}
