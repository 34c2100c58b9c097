package io.safegrid.ingest.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.ingest.camera.CameraIntake;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.video.VideoFrame;
import java.io.File;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A GB/T 28181 channel bound to a camera: its PS over RTP goes through the camera intake's decode
 * pool onto the bus as that camera's frames, as a pushed camera's would, and stops when the device goes.
 */
class CameraRelayTest {
    private final InProcessBus bus = new InProcessBus();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<VideoFrame> frames = new CopyOnWriteArrayList<>();
    private Gb28181Server server;
    private CameraIntake cameras;
    private SimulatedDevice nvr;

    @AfterEach
    void stop() throws Exception {
        if (nvr != null) {
            nvr.close();
        }
        if (server != null) {
            server.close();
        }
        if (cameras != null) {
            cameras.close();
        }
        bus.close();
    }

    @Test
    void aBoundChannelsVideoReachesTheBusAsItsCamera() throws Exception {
        start("", camera -> false);

        await().atMost(Duration.ofSeconds(30)).until(() -> frames.size() >= 5);
        VideoFrame f = frames.get(0);
        assertThat(f.cameraId()).isEqualTo("cam-gb-1");
        assertThat(f.site()).isEqualTo(GridPath.parse("xian/mine"));
        assertThat(f.width()).isEqualTo(320);

        nvr.stopKeepalives();   // offline after 3 missed keepalives: the relay ends with a BYE
        await().atMost(Duration.ofSeconds(15)).until(() -> nvr.byes() == 1);
    }

    @Test
    void anOnDemandChannelIsFetchedAndAnalysedOnlyWhileItsCameraIsWatched() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean watched = new java.util.concurrent.atomic.AtomicBoolean();
        start(", on-demand: true", camera -> camera.equals("cam-gb-1") && watched.get());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.devices().get(0).online()
                && !server.devices().get(0).channels().isEmpty());
        Thread.sleep(4000);   // two relay checks with the device online and no one watching
        assertThat(frames).isEmpty();
        assertThat(server.streamStatus("34020000001320000001")).as("never INVITEd").isNull();

        watched.set(true);   // a viewer opens the camera
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.size() >= 5);
        assertThat(frames.get(0).cameraId()).isEqualTo("cam-gb-1");

        watched.set(false);   // and leaves: BYE, and the frames stop
        await().atMost(Duration.ofSeconds(10)).until(() -> nvr.byes() == 1);
        assertThat(server.streamStatus("34020000001320000001").state()).isEqualTo("stopped");
        // what the decode pool still held comes out for a while on a loaded machine; then nothing more does
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger(-1);
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(2))
                .until(() -> seen.getAndSet(frames.size()) == frames.size());
        int after = frames.size();
        Thread.sleep(2000);
        assertThat(frames.size()).isEqualTo(after);
    }

    /** The camera intake, the server relaying into it, and the NVR registered and sending keepalives. */
    private void start(String channelExtra, java.util.function.Predicate<String> watched) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/ffmpeg").canExecute(), "ffmpeg is not installed; skipping");
        int sip = SipStacks.freePort("127.0.0.1");
        ConfigSource config = county(sip, channelExtra);
        bus.subscribe(Topic.FRAMES, "test", (k, f) -> frames.add(f));
        cameras = new CameraIntake(config, bus, registry);
        cameras.start();
        server = new Gb28181Server(config, bus, registry, Clock.systemUTC());
        server.start();
        server.watchedBy(watched);
        server.relayCameras("127.0.0.1", cameras.pushPort());
        nvr = new SimulatedDevice("34020000001180000001", "pw", "34020000002000000001", "127.0.0.1", sip, "UDP",
                List.of(new SimulatedDevice.Channel("34020000001320000001", "井口")), Charset.forName("GB2312"));
        assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
        nvr.startKeepalives(Duration.ofMillis(300));
    }

    private static ConfigSource county(int sip, String channelExtra) {
        return ConfigSource.of(new DeploymentLoader(Map.<String, String>of()::get).read("county.yaml", """
                name: 测试县
                node: {bind-address: 127.0.0.1, video-push-port: 0}
                grid: {id: xian, kind: county, children: [{id: mine, kind: enterprise, industry: coal-mine}]}
                cameras:
                  - id: cam-gb-1
                    name: 井口
                    site: xian/mine
                    secret: cam-s3cret
                    source: {mode: push}
                    analysis: {fps: 5, width: 320, height: 240, analyzers: [tamper]}
                gb28181:
                  server-id: "34020000002000000001"
                  address: 127.0.0.1
                  listen-port: %d
                  keepalive-interval: 1s
                  devices:
                    - id: "34020000001180000001"
                      password: pw
                      grid: xian/mine
                      channels:
                        - {id: "34020000001320000001", camera: cam-gb-1%s}
                """.formatted(sip, channelExtra), null));
    }
}
