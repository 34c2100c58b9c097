package io.safegrid.ingest.camera;

import io.safegrid.testing.Deployments;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.NodeSettings;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.video.VideoFrame;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Deployments and video sources for the intake tests: real sockets, real FFmpeg. */
final class TestCameras {
    static final GridPath SITE = GridPath.parse("county/town/village/plant-1");

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);   // no stream dumps in the test output
    }

    /** A frame's picture as packed BGR rows, converted by OpenCV when it came as I420. */
    static byte[] bgr(VideoFrame f) {
        if (f.format() == VideoFrame.Format.BGR) {
            return f.pixels().toArray();
        }
        try (BytePointer data = new BytePointer(f.pixels().toArray());
             Mat i420 = new Mat(f.height() * 3 / 2, f.width(), CV_8UC1, data);
             Mat bgr = new Mat()) {
            cvtColor(i420, bgr, COLOR_YUV2BGR_I420);
            byte[] out = new byte[f.width() * f.height() * 3];
            bgr.data().get(out);
            return out;
        }
    }

    /**
     * The frame with its pixels copied onto the heap, for a test that reads them after its handler
     * returned (the bus lets a stream frame's native pixels go then).
     */
    static VideoFrame kept(VideoFrame f) {
        return new VideoFrame(f.cameraId(), f.site(), f.time(), f.sequence(), f.streamTime(), f.width(), f.height(),
                f.format(), f.pixels().toArray().clone());
    }

    private TestCameras() {
    }

    static Camera push(String id) {
        return new Camera(id, "Gate " + id, SITE, new CameraSource(CameraSource.Mode.PUSH, null, null),
                new AnalysisSettings(5, 160, 90, Set.of("tamper")), List.of());
    }

    static Camera pull(String id, String url) {
        return new Camera(id, "Yard " + id, SITE, new CameraSource(CameraSource.Mode.PULL, url, null),
                new AnalysisSettings(5, 160, 90, Set.of("tamper")), List.of());
    }

    static ConfigSource config(List<Camera> cameras, Map<String, DeviceAccess> access) {
        return ConfigSource.of(deployment(cameras, access));
    }

    static Deployment deployment(List<Camera> cameras, Map<String, DeviceAccess> access) {
        NodeSettings n = NodeSettings.defaults();
        NodeSettings node = new NodeSettings(n.nodeId(), n.roles(), "127.0.0.1", 0, -1, -1, -1, 0, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null);
        return Deployments.builder().node(node).access(access).cameras(cameras).build();
    }

    /** A config that a test can reload. */
    static final class Reloadable implements ConfigSource {
        private volatile Deployment current;
        private final List<java.util.function.Consumer<Deployment>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

        Reloadable(Deployment d) {
            current = d;
        }

        @Override
        public Deployment current() { return current; }

        @Override
        public void onChange(java.util.function.Consumer<Deployment> listener) {
            listeners.add(listener);
        }

        void reload(Deployment d) {
            current = d;
            listeners.forEach(l -> l.accept(d));
        }
    }

    /** Connects as an edge box; returns the node's answer line and keeps the socket open in {@code out[0]}. */
    static String handshake(Socket s, String header) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        return r.readLine();
    }

    /** Streams {@code seconds} of 320x180 10 fps H.264 in MPEG-TS to {@code out}, in real time. */
    static void stream(OutputStream out, double seconds) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out, 320, 180, 0);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            rec.setFormat("mpegts");
            rec.setVideoCodecName("libopenh264");
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(10);
            rec.setGopSize(10);
            // live: every packet goes onto the wire at once, not when a buffer fills
            rec.setOption("flush_packets", "1");
            rec.setOption("muxdelay", "0");
            rec.start();
            long t0 = System.nanoTime();
            int n = (int) (seconds * 10);
            for (int i = 0; i < n; i++) {
                try (Mat m = new Mat(180, 320, CV_8UC3, new Scalar(90, 120, 100, 0))) {
                    rectangle(m, new Rect(10 + i * 3 % 280, 60, 30, 60), new Scalar(20, 20, 200, 0), -1, 8, 0);
                    rec.record(conv.convert(m));
                }
                long due = t0 + (i + 1) * 100_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
            rec.stop();
        }
        out.flush();
    }

    /** Writes a clip file (no pacing). */
    static Path clip(Path dir, double seconds) throws Exception {
        Path file = dir.resolve("clip.ts");
        try (OutputStream out = java.nio.file.Files.newOutputStream(file)) {
            try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out, 320, 180, 0);
                 OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
                rec.setFormat("mpegts");
                rec.setVideoCodecName("libopenh264");
                rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                rec.setFrameRate(10);
                rec.start();
                for (int i = 0; i < seconds * 10; i++) {
                    try (Mat m = new Mat(180, 320, CV_8UC3, new Scalar(90, 120, 100, 0))) {
                        rectangle(m, new Rect(10 + i * 3 % 280, 60, 30, 60), new Scalar(20, 20, 200, 0), -1, 8, 0);
                        rec.record(conv.convert(m));
                    }
                }
                rec.stop();
            }
        }
        return file;
    }
}
