package io.safegrid.node.simulate;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.file.Path;
import java.time.Instant;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/** Renders a {@link CameraScene} to an H.264 MPEG-TS file, as fast as it encodes. */
public final class SceneClips {
    private SceneClips() {
    }

    public static Path write(Path file, SceneScript script, double seconds, double fps) throws Exception {
        Instant start = Instant.parse("2026-11-29T02:40:00Z");
        try (CameraScene scene = new CameraScene(script);
             FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), CameraScene.WIDTH, CameraScene.HEIGHT, 0);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             Mat frame = new Mat(CameraScene.HEIGHT, CameraScene.WIDTH, CV_8UC3)) {
            rec.setFormat("mpegts");
            rec.setVideoCodecName("libopenh264");
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setVideoBitrate(1_500_000);
            rec.start();
            int n = (int) Math.round(seconds * fps);
            for (int i = 0; i < n; i++) {
                double t = i / fps;
                scene.render(frame, t, start.plusMillis((long) (t * 1000)));
                rec.record(conv.convert(frame));
            }
            rec.stop();
        }
        return file;
    }
}
