package io.safegrid.ingest.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.ingest.camera.RtspPullTest;
import io.safegrid.ingest.gb28181.device.CatalogChannel;
import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.live.PlaySession;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera pulled over RTSP shared upward as a GB/T 28181 channel: a real RTSP server (Debian's
 * rtsp-server-perl) fed by the FFmpeg CLI; the county lists the camera in its Catalog to the city, answers
 * the city's INVITE by copying the camera's H.264 into PS over RTP, and hangs up on the city when the
 * camera's stream dies.
 */
class UpperCameraTest {
    static final String CAMERA_CHANNEL = "34020000001320000101";

    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry countyMetrics = new SimpleMeterRegistry();
    private final InProcessBus bus = new InProcessBus();
    private Gb28181Server city;
    private Gb28181Server county;

    @AfterEach
    void stop() throws InterruptedException {
        if (county != null) {
            county.close();
        }
        if (city != null) {
            city.close();
        }
        bus.close();
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private Process start(Path log, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** The test county, sharing one pulled camera with the city. */
    private static ConfigSource county(int port, String rtsp, int cityPort) {
        return GbCounty.config(port, "60s", """
                  upper:
                    - id: "%s"
                      host: 127.0.0.1
                      port: %d
                      password: %s
                      keepalive-interval: 1s
                      retry-min: 200ms
                      share-cameras:
                        - {id: "%s", camera: cam-gate}
                cameras:
                  - id: cam-gate
                    name: 化工厂大门
                    site: xian/town/plant
                    source: {mode: pull, url: "%s", rtsp-transport: udp}
                    analysis: {fps: 2, width: 160, height: 120, analyzers: [tamper]}
                """.formatted(UpwardCascadeTest.CITY, cityPort, UpwardCascadeTest.COUNTY_PASSWORD, CAMERA_CHANNEL, rtsp));
    }

    @Test
    void theCityListsAndPlaysAnRtspCameraAndIsHungUpOnWhenItDies(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(RtspPullTest.SERVER) && Files.isExecutable(RtspPullTest.FFMPEG),
                "needs Debian packages rtsp-server-perl and ffmpeg");
        Path clip = dir.resolve("clip.mp4");
        assertThat(new ProcessBuilder(RtspPullTest.FFMPEG.toString(), "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=10", "-t", "4", "-c:v", "libx264", "-g", "10", "-bf", "0", "-pix_fmt", "yuv420p",
                clip.toString()).inheritIO().start().waitFor()).isZero();
        int clientPort = RtspPullTest.freeTcpPort();
        int sourcePort = RtspPullTest.freeTcpPort();
        start(dir.resolve("server.log"), RtspPullTest.SERVER.toString(), "--clientport", Integer.toString(clientPort),
                "--serverport", Integer.toString(sourcePort), "--client_listen_address", "127.0.0.1",
                "--source_listen_address", "127.0.0.1", "--rtp_start_port", Integer.toString(RtspPullTest.freeRtpPort()),
                "--loglevel", "1");
        await().atMost(Duration.ofSeconds(60)).until(() -> RtspPullTest.listening(clientPort) && RtspPullTest.listening(sourcePort));
        Process publisher = start(dir.resolve("publisher.log"), RtspPullTest.FFMPEG.toString(), "-nostdin", "-v", "warning", "-re",
                "-stream_loop", "-1", "-i", clip.toString(), "-c", "copy", "-f", "rtsp", "rtsp://127.0.0.1:" + sourcePort + "/gate");

        city = new Gb28181Server(UpwardCascadeTest.cityConfig(SipStacks.freePort("127.0.0.1")), bus, new SimpleMeterRegistry(),
                Clock.systemUTC());
        city.start();
        county = new Gb28181Server(county(SipStacks.freePort("127.0.0.1"), "rtsp://127.0.0.1:" + clientPort + "/gate", city.port()),
                new InProcessBus(), countyMetrics, Clock.systemUTC());
        county.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> !countyAtCity().channels().isEmpty());
        assertThat(countyAtCity().channels()).extracting(CatalogChannel::id, CatalogChannel::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CAMERA_CHANNEL, "化工厂大门"));

        AtomicInteger pictures = new AtomicInteger();
        List<Integer> widths = new CopyOnWriteArrayList<>();
        // the city's own silence limit (40 s) is far longer than the county's wait on a dead camera
        PlaySession s = city.play(CAMERA_CHANNEL, false, Duration.ofSeconds(20), Duration.ofSeconds(40), f -> {
            pictures.incrementAndGet();
            widths.add(f.imageWidth);
        });
        try {
            assertThat(s.failure()).isNull();
            s.firstPicture().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> pictures.get() >= 10);
            assertThat(widths).as("the camera's own 320x240 H.264, copied, not scaled for analysis").containsOnly(320);

            publisher.destroy();   // the camera's stream dies

            PlaySession.Failure f = s.failed().get(35, TimeUnit.SECONDS);
            assertThat(f.detail()).contains("BYE");
            assertThat(countyMetrics.get("safegrid.gb28181.upper.hangups").tag("step", "camera").counter().count()).isEqualTo(1.0);
        } finally {
            city.stop(s);
        }
    }

    private GbDevice countyAtCity() {
        return city.devices().stream().filter(d -> d.id().equals(GbCounty.SERVER)).findFirst().orElseThrow();
    }
}
