package io.safegrid.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.video.VideoFrame;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTSP pulled from a real server: Debian's rtsp-server-perl, fed by the FFmpeg CLI publishing with
 * ANNOUNCE/RECORD. That server speaks RTP over UDP only (a TCP-interleaved SETUP gets 400), so
 * this is the UDP path; TCP is covered against FFmpeg's own listener elsewhere.
 */
public class RtspPullTest {
    public static final Path SERVER = Path.of("/usr/bin/rtsp-server-perl");
    public static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

    final List<Process> processes = new CopyOnWriteArrayList<>();
    final List<VideoFrame> frames = new CopyOnWriteArrayList<>();
    final List<Finding> findings = new CopyOnWriteArrayList<>();
    volatile long lastFrameNanos;

    @AfterEach
    void stop() {
        processes.forEach(p -> {
            p.destroy();
            try {
                if (!p.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** An even UDP port with its odd neighbour free too (RTP and RTCP), for the server's RTP ports. */
    public static int freeRtpPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p;
            try (DatagramSocket s = new DatagramSocket(0)) {
                p = s.getLocalPort() & ~1;
            }
            try (DatagramSocket a = new DatagramSocket(p); DatagramSocket b = new DatagramSocket(p + 1)) {
                return p;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free UDP port pair");
    }

    Process start(Path log, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Process publish(Path dir, Path clip, int sourcePort) throws IOException {
        return start(dir.resolve("publisher.log"), FFMPEG.toString(), "-nostdin", "-v", "warning", "-re", "-stream_loop", "-1",
                "-i", clip.toString(), "-c", "copy", "-f", "rtsp", "rtsp://127.0.0.1:" + sourcePort + "/cam1");
    }

    long loss(Condition c) {
        return findings.stream().filter(f -> f.kind() == FindingKind.VIDEO_LOSS && f.condition() == c).count();
    }

    @Test
    void pullsRtspOverUdpReportsLossWhenTheSourceDiesAndRecoversWhenItReturns(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(SERVER) && Files.isExecutable(FFMPEG),
                "needs Debian packages rtsp-server-perl and ffmpeg (/usr/bin/rtsp-server-perl, /usr/bin/ffmpeg)");
        Path clip = TestCameras.clip(dir, 4);
        int clientPort = freeTcpPort();
        int sourcePort = freeTcpPort();
        start(dir.resolve("server.log"), SERVER.toString(), "--clientport", Integer.toString(clientPort),
                "--serverport", Integer.toString(sourcePort), "--client_listen_address", "127.0.0.1",
                "--source_listen_address", "127.0.0.1", "--rtp_start_port", Integer.toString(freeRtpPort()),
                "--loglevel", "1");
        await().atMost(Duration.ofSeconds(20)).until(() -> listening(clientPort) && listening(sourcePort));
        Process publisher = publish(dir, clip, sourcePort);

        Camera cam = new Camera("cam-rtsp", "Gate over RTSP", TestCameras.SITE,
                new CameraSource(CameraSource.Mode.PULL, "rtsp://127.0.0.1:" + clientPort + "/cam1", "udp"),
                new AnalysisSettings(5, 160, 90, Set.of("tamper")), List.of());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (InProcessBus bus = new InProcessBus()) {
            bus.subscribe(Topic.FRAMES, "test", (k, f) -> {
                frames.add(f);
                lastFrameNanos = System.nanoTime();
            });
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            var config = TestCameras.config(List.of(cam), Map.of());
            try (io.safegrid.analytics.video.loss.VideoLossWatch loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(5)).start();
                 CameraIntake intake = new CameraIntake(config, bus, meters,
                    Clock.systemUTC(), Duration.ofMillis(500), Duration.ofSeconds(2))) {
                intake.start();
                // the loss watch may already have fired while the publisher was starting: count from here
                await().atMost(Duration.ofSeconds(20)).until(() -> frames.size() >= 10);
                VideoFrame f = frames.get(frames.size() - 1);
                assertThat(f.width()).isEqualTo(160);
                assertThat(f.height()).isEqualTo(90);
                long lossesBefore = loss(Condition.ACTIVE);
                long clearedBefore = loss(Condition.CLEARED);

                // SIGTERM: FFmpeg tears its RECORD session down. (After a SIGKILL this server keeps the dead
                // source's mount and refuses a new ANNOUNCE on it with 403, so it could not come back.)
                publisher.destroy();
                long killed = System.nanoTime();
                await().atMost(Duration.ofSeconds(15)).until(() -> loss(Condition.ACTIVE) > lossesBefore);
                double afterKill = (System.nanoTime() - killed) / 1e9;
                double afterLastFrame = (System.nanoTime() - lastFrameNanos) / 1e9;
                System.out.printf("video loss %.1f s after the source died, %.1f s after the last frame%n", afterKill, afterLastFrame);
                // 5 s without a picture, checked every second (5-6 s; the rest is room for a loaded machine)
                assertThat(afterLastFrame).isBetween(4.5, 9.0);
                assertThat(afterKill).as("video loss within 10 s of the source dying").isLessThan(10);
                int framesAtLoss = frames.size();

                publish(dir, clip, sourcePort);
                await().atMost(Duration.ofSeconds(30)).until(() -> loss(Condition.CLEARED) > clearedBefore);
                // (over UDP the old session may outlive the source and only trickle pictures; it is then
                // reopened, and pictures come back numbered on from before the loss)
                await().atMost(Duration.ofSeconds(30)).until(() -> frames.size() > framesAtLoss + 3);
                VideoFrame back = frames.get(frames.size() - 1);
                assertThat(back.sequence()).isGreaterThan(f.sequence());
                assertThat(back.streamTime()).isGreaterThan(f.streamTime());
            }
        }
    }
}
