package io.safegrid.node.simulate;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.analytics.video.VideoAnalytics;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.camera.CameraIntake;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The whole video path, live: simulator → push port → intake → frames → analytics → findings. */
class CameraSimulatorLiveTest {

    @Test
    void theSimulatedYardRaisesIntrusionAndFireAndItsLossIsNoticed() throws Exception {
        GridPath site = GridPath.parse("county/town/plant-1");
        Camera cam = new Camera("cam-yard", "Yard", site, new CameraSource(CameraSource.Mode.PUSH, null, null),
                new AnalysisSettings(5, 320, 180, Set.of("intrusion", "fire", "tamper")), List.of(CameraScene.restrictedZone()));
        NodeSettings n = NodeSettings.defaults();
        NodeSettings node = new NodeSettings("n", n.roles(), "127.0.0.1", 0, -1, -1, -1, 0, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null);
        ConfigSource config = ConfigSource.of(Deployments.builder().name("t").node(node)
                .access(new DeviceAccess("cam-yard", "k3y", null)).camera(cam).build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Finding> findings = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus();
             VideoAnalytics analytics = new VideoAnalytics(config, bus, meters);
             io.safegrid.analytics.video.loss.VideoLossWatch loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(5)).start();
             CameraIntake intake = new CameraIntake(config, bus, meters)) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            analytics.start();
            intake.start();
            // person walks in at 3–5 s and stays to 12 s; a flame from 13 s
            CameraSimulator sim = new CameraSimulator("127.0.0.1", intake.pushPort(), "cam-yard", "k3y",
                    new SceneScript(5, 12, 13, 40, -1, -1, 100), 10);
            try {
                sim.start();
                // generous: the simulator encodes 640x360 in real time on a shared machine
                await().atMost(Duration.ofSeconds(30)).until(() -> has(findings, FindingKind.INTRUSION, Condition.ACTIVE));
                await().atMost(Duration.ofSeconds(25)).until(() -> has(findings, FindingKind.FIRE, Condition.ACTIVE));
            } finally {
                sim.close();
            }
            assertThat(sim.connections()).isEqualTo(1);
            Finding intrusion = findings.stream().filter(f -> f.kind() == FindingKind.INTRUSION).findFirst().orElseThrow();
            assertThat(intrusion.sourceId()).isEqualTo("cam-yard");
            assertThat(intrusion.site()).isEqualTo(site);
            assertThat(intrusion.zone()).isEqualTo("gate");
            assertThat(intrusion.snapshot()).isNotNull().hasSizeGreaterThan(2000);
            assertThat(intrusion.alarmKey()).isEqualTo("cam-yard|video-intrusion|gate");
            // the box went away: video loss 5 s on (there may have been one before it first connected)
            long lossesBefore = count(findings, FindingKind.VIDEO_LOSS, Condition.ACTIVE);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> count(findings, FindingKind.VIDEO_LOSS, Condition.ACTIVE) > lossesBefore);
            assertThat(findings).extracting(Finding::kind)
                    .doesNotContain(FindingKind.TAMPER_COVERED, FindingKind.TAMPER_BLUR, FindingKind.TAMPER_MOVED,
                            FindingKind.SMOKE);
            assertThat(meters.find("safegrid.video.frames.analysed").tag("camera", "cam-yard").counter().count())
                    .isGreaterThan(40);
            assertThat(meters.find("safegrid.video.analysis.latency").tag("camera", "cam-yard").timer().count())
                    .isGreaterThan(40);
        }
    }

    static long count(List<Finding> fs, FindingKind kind, Condition c) {
        return fs.stream().filter(f -> f.kind() == kind && f.condition() == c).count();
    }

    static boolean has(List<Finding> fs, FindingKind kind, Condition c) {
        return fs.stream().anyMatch(f -> f.kind() == kind && f.condition() == c);
    }
}
