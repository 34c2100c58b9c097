package io.safegrid.node.simulate;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.analytics.video.VideoAnalytics;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.Gb28181Config;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.camera.CameraIntake;
import io.safegrid.ingest.gb28181.Gb28181Server;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.io.File;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole GB/T 28181 video path: a simulated NVR registers, the node INVITEs its channel (bound to a
 * camera with an intrusion zone), PS over RTP comes back, is decoded in the camera intake's pool and
 * analysed, and a person walking into the zone raises an intrusion finding for that camera.
 */
class GbIntrusionLiveTest {
    private static final String NVR = "34020000001180000001";
    private static final String CH = "34020000001320000001";

    @TempDir
    Path dir;

    @Test
    void aPersonInTheZoneOfAGbChannelRaisesIntrusion() throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/ffmpeg").canExecute(), "ffmpeg is not installed; skipping");
        // quiet while the analyzers learn the scene, then a person walks into the zone from 6 s to 20 s
        Path clip = SceneClips.write(dir.resolve("yard.ts"), new SceneScript(6, 20, -1, -1, -1, -1, 30), 30, 10);
        GridPath site = GridPath.parse("county/town/plant-1");
        Camera cam = new Camera("cam-yard", "Yard", site, new CameraSource(CameraSource.Mode.PUSH, null, null),
                new AnalysisSettings(5, 320, 180, Set.of("intrusion")), List.of(CameraScene.restrictedZone()));
        // port 0: the server takes a free one as it starts, as a node's does
        Gb28181Config gb = new Gb28181Config("34020000002000000001", "3402000000", "127.0.0.1", 0, Duration.ofSeconds(60),
                3, 5, Duration.ofMinutes(1), List.of(new Gb28181Config.Device(NVR, "NVR", "pw", site, null,
                List.of(new Gb28181Config.Channel(CH, "Yard", site, "cam-yard")))));
        NodeSettings n = NodeSettings.defaults();
        NodeSettings node = new NodeSettings("n", n.roles(), "127.0.0.1", 0, -1, -1, -1, 0, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null);
        ConfigSource config = ConfigSource.of(Deployments.builder().name("t").node(node)
                .access(new DeviceAccess("cam-yard", "k3y", null)).camera(cam).gb28181(gb).build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Finding> findings = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus();
             VideoAnalytics analytics = new VideoAnalytics(config, bus, meters);
             CameraIntake intake = new CameraIntake(config, bus, meters);
             Gb28181Server server = new Gb28181Server(config, bus, meters, Clock.systemUTC())) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            analytics.start();
            intake.start();
            server.start();
            server.relayCameras("127.0.0.1", intake.pushPort());
            try (SimulatedDevice nvr = new SimulatedDevice(NVR, "pw", gb.serverId(), "127.0.0.1", server.port(), "TCP",
                    List.of(new SimulatedDevice.Channel(CH, "Yard")), Charset.forName("GB2312"))) {
                nvr.clip(clip.toString());
                assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
                nvr.startKeepalives(Duration.ofSeconds(20));
                // generous: FFmpeg re-encodes the clip in real time on a shared machine
                await().atMost(Duration.ofSeconds(60)).until(() -> findings.stream()
                        .anyMatch(f -> f.kind() == FindingKind.INTRUSION && f.condition() == Condition.ACTIVE));
            }
            Finding intrusion = findings.stream().filter(f -> f.kind() == FindingKind.INTRUSION).findFirst().orElseThrow();
            assertThat(intrusion.sourceId()).isEqualTo("cam-yard");
            assertThat(intrusion.site()).isEqualTo(site);
            assertThat(intrusion.zone()).isEqualTo("gate");
        }
    }
}
