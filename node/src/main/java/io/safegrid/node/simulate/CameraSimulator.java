package io.safegrid.node.simulate;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake edge box with one camera: renders a {@link CameraScene} at 640x360 in real time, encodes
 * it with FFmpeg (H.264 via libopenh264, or MPEG-2 where that is missing) into MPEG-TS, and pushes it
 * to a node's video push port with the {@code SAFEGRID-PUSH} header. If the node is down or drops
 * the connection, it retries every few seconds; the scene's schedule, which starts with the
 * first accepted connection, keeps running meanwhile.
 *
 * <pre>{@code
 * var sim = new CameraSimulator("127.0.0.1", intake.pushPort(), "cam-yard-1", "secret");
 * sim.start();   // put CameraScene.restrictedZone() in the camera's zones
 * ...
 * sim.close();
 * }</pre>
 */
public final class CameraSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraSimulator.class);

    private final String host;
    private final int port;
    private final String cameraId;
    private final String token;
    private final SceneScript script;
    private final double fps;
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Socket socket;

    /** The demo script at 10 fps. */
    public CameraSimulator(String host, int port, String cameraId, String token) {
        this(host, port, cameraId, token, SceneScript.demo(), 10);
    }

    /**
     * @param token the camera's secret, or null/empty when it has none
     * @param fps   frames per second sent (the node thins them to its analysis fps)
     */
    public CameraSimulator(String host, int port, String cameraId, String token, SceneScript script, double fps) {
        this.host = host;
        this.port = port;
        this.cameraId = cameraId;
        this.token = token == null || token.isEmpty() ? "-" : token;
        this.script = script;
        this.fps = fps;
        this.thread = new Thread(this::run, "camera-sim-" + cameraId);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public long framesSent() { return framesSent.get(); }

    /** Connections the node accepted so far. */
    public long connections() { return connections.get(); }

    private void run() {
        long t0 = -1;   // the script starts with the first picture the node accepts
        long backoff = 1000;
        try (CameraScene scene = new CameraScene(script)) {
            while (running) {
                try (Socket s = new Socket()) {
                    socket = s;
                    s.connect(new InetSocketAddress(host, port), 3000);
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    out.write(("SAFEGRID-PUSH " + cameraId + " " + token + " mpegts\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
                    if (!"OK".equals(answer)) {
                        throw new IOException("node refused the stream: " + answer);
                    }
                    connections.incrementAndGet();
                    LOG.info("camera simulator {}: streaming to {}:{}", cameraId, host, port);
                    backoff = 1000;
                    if (t0 < 0) {
                        t0 = System.nanoTime();
                    }
                    stream(scene, out, t0);
                } catch (Exception e) {
                    if (!running) {
                        break;
                    }
                    LOG.warn("camera simulator {}: {}; retrying in {} ms", cameraId, e.getMessage(), backoff);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 8000);
                }
            }
        }
    }

    private void stream(CameraScene scene, OutputStream out, long t0) throws Exception {
        try (FFmpegFrameRecorder rec = recorder(out);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             Mat frame = new Mat(CameraScene.HEIGHT, CameraScene.WIDTH, CV_8UC3)) {
            long period = (long) (1e9 / fps);
            long next = System.nanoTime();
            while (running) {
                double t = (System.nanoTime() - t0) / 1e9;
                scene.render(frame, t, Instant.now());
                rec.record(conv.convert(frame));
                framesSent.incrementAndGet();
                next += period;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else if (wait < -period * 5) {
                    next = System.nanoTime();   // fell behind (busy machine): skip ahead rather than burst
                }
            }
            rec.stop();
        }
    }

    private FFmpegFrameRecorder recorder(OutputStream out) throws Exception {
        Exception last = null;
        for (String codec : new String[] {"libopenh264", "mpeg2video"}) {
            FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out, CameraScene.WIDTH, CameraScene.HEIGHT, 0);
            rec.setFormat("mpegts");
            rec.setVideoCodecName(codec);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setGopSize((int) Math.max(1, fps * 2));
            rec.setVideoBitrate(1_500_000);
            // live: each packet onto the wire at once, not when a buffer fills
            rec.setOption("flush_packets", "1");
            rec.setOption("muxdelay", "0");
            try {
                rec.start();
                return rec;
            } catch (Exception e) {
                last = e;
                rec.release();
                LOG.info("camera simulator {}: encoder {} unavailable ({}), trying the next", cameraId, codec, e.getMessage());
            }
        }
        throw last;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
