package io.safegrid.analytics.video;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Real recordings for tests (see the footage folder's SOURCES.md): {@code -Dsafegrid.footage=DIR},
 * else the shared folder beside the checkout. A test on footage is skipped, saying so, where the
 * folder is absent.
 */
public final class Footage {
    private Footage() { }

    public static Path clip(String name) {
        List<Path> tries = new ArrayList<>();
        String prop = System.getProperty("safegrid.footage");
        if (prop != null) {
            tries.add(Path.of(prop));
        }
        tries.add(Path.of("..", "..", "shared", "footage"));
        tries.add(Path.of("..", "shared", "footage"));
        for (Path dir : tries) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        assumeThat(false).as("footage " + name + " not found (set -Dsafegrid.footage)").isTrue();
        return null;
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
