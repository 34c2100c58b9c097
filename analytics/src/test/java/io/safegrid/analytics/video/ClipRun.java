package io.safegrid.analytics.video;

import io.safegrid.model.device.Zone;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/** Decodes a clip with FFmpeg and runs a {@link CameraAnalyzer} over it at 5 fps. */
final class ClipRun {
    private ClipRun() {
    }

    static List<Detection> analyse(Path clip, List<Zone> zones, Set<String> analyzers) throws Exception {
        return analyse(clip, zones, analyzers, 0);
    }

    /** @param width analysis width the decoder scales to (16:9), as the intake does; 0 = the clip's own */
    static List<Detection> analyse(Path clip, List<Zone> zones, Set<String> analyzers, int width) throws Exception {
        try (CameraAnalyzer analyzer = new CameraAnalyzer(zones, analyzers)) {
            return analyse(clip, analyzer, width);
        }
    }

    static List<Detection> analyse(Path clip, CameraAnalyzer analyzer, int width) throws Exception {
        List<Detection> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
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
                Mat m = conv.convert(f);
                for (Detection d : analyzer.analyze(m, t)) {
                    // the snapshot must render for every detection
                    if (analyzer.snapshot(m, d).length < 1000) {
                        throw new AssertionError("snapshot too small for " + d);
                    }
                    out.add(d);
                }
            }
            g.stop();
        }
        return out;
    }
}
