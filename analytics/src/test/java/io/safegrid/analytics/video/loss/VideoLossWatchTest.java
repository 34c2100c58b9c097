package io.safegrid.analytics.video.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.video.StreamReport;
import io.safegrid.testing.Deployments;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The intake's stream reports, as published on the bus, judged as video loss and its end. */
class VideoLossWatchTest {
    static final GridPath SITE = GridPath.parse("county/town/plant-1");
    static final Instant T = Instant.parse("2026-12-06T12:00:00Z");

    static Camera camera(String id, Duration snapshotInterval) {
        CameraSource.Mode mode = snapshotInterval == null ? CameraSource.Mode.PUSH : CameraSource.Mode.SNAPSHOT;
        return new Camera(id, id, SITE, new CameraSource(mode, null, null, snapshotInterval),
                new AnalysisSettings(5, 320, 180, Set.of("tamper")), List.of());
    }

    @Test
    void silenceIsLossPicturesEndItAndSoDoesTheCameraLeavingTheIntake() throws Exception {
        ConfigSource config = ConfigSource.of(Deployments.builder().name("t").camera(camera("cam-1", null))
                .camera(camera("cam-snap", Duration.ofSeconds(10))).build());
        List<Finding> findings = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus();
             VideoLossWatch watch = new VideoLossWatch(config, bus, Duration.ofSeconds(5)).start()) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            report(bus, "cam-1", 4.9, true, false);
            report(bus, "cam-1", 5.2, true, false);
            report(bus, "cam-1", 6.2, true, false);    // still lost: said once
            report(bus, "cam-snap", 12, true, false);  // a snapshot camera may be quiet for its interval + 5 s
            report(bus, "cam-1", 0.1, true, false);
            report(bus, "cam-1", 7, false, false);
            report(bus, "cam-1", 0, false, true);      // no longer read here, while lost
            report(bus, "cam-x", 60, false, false);    // not in the configuration
            await().atMost(Duration.ofSeconds(5)).until(() -> findings.size() >= 4);
            Thread.sleep(300);
            assertThat(findings).allMatch(f -> f.kind() == FindingKind.VIDEO_LOSS && f.sourceId().equals("cam-1")
                    && f.rule().equals("video-loss") && f.site().equals(SITE) && f.time().equals(T));
            assertThat(findings).extracting(Finding::condition)
                    .containsExactly(Condition.ACTIVE, Condition.CLEARED, Condition.ACTIVE, Condition.CLEARED);
            assertThat(findings.get(0).message()).isEqualTo("cam-1: video loss, no picture for 5 s");
            assertThat(findings.get(2).message()).isEqualTo("cam-1: video loss, no picture since intake start (7 s)");
            assertThat(findings.get(3).message()).isEqualTo("cam-1: camera removed from the configuration");
            assertThat(watch.isLost("cam-1")).isFalse();

            report(bus, "cam-snap", 15.5, true, false);
            await().atMost(Duration.ofSeconds(5)).until(() -> findings.size() == 5);
            assertThat(findings.get(4).sourceId()).isEqualTo("cam-snap");
            assertThat(findings.get(4).threshold()).isEqualTo(15.0);
            assertThat(findings.get(4).details()).containsEntry("source", "snapshot");
        }
    }

    static void report(InProcessBus bus, String id, double silent, boolean ever, boolean gone) throws InterruptedException {
        bus.publish(Topic.STREAMS, id, new StreamReport(id, SITE, T, silent, ever, gone));
    }
}
