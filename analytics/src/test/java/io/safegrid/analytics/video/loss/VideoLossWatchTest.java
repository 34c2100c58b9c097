package io.safegrid.analytics.video.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmState;
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
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() >= 4);
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
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() == 5);
            assertThat(findings.get(4).sourceId()).isEqualTo("cam-snap");
            assertThat(findings.get(4).threshold()).isEqualTo(15.0);
            assertThat(findings.get(4).details()).containsEntry("source", "snapshot");
        }
    }

    @Test
    void aWatchThatDidNotJudgeACameraEndsTheLossAlertingHoldsOpenAtItsFirstPicture() throws Exception {
        ConfigSource config = ConfigSource.of(Deployments.builder().name("t").camera(camera("cam-1", null))
                .camera(camera("cam-2", null)).build());
        List<Alarm> open = new CopyOnWriteArrayList<>(List.of(openLoss("cam-1")));
        List<Finding> findings = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus();
             VideoLossWatch watch = new VideoLossWatch(config, bus, Duration.ofSeconds(5)).resumeFrom(() -> open).start()) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            report(bus, "cam-1", 2, false, false);     // a freshly started intake: no news yet
            report(bus, "cam-1", 0.1, true, false);    // the first picture ends the loss opened before this watch
            report(bus, "cam-1", 0.1, true, false);
            report(bus, "cam-2", 0.1, true, false);    // nothing open for it: nothing to end
            report(bus, "cam-2", 0.1, true, false, T.plusSeconds(1));
            assertThat(bus.awaitDelivered(Topic.STREAMS, Duration.ofSeconds(30))).isTrue();
            open.add(openLoss("cam-2"));               // judged lost by another watch while this one missed its reports
            report(bus, "cam-2", 0.1, true, false, T.plusSeconds(9));
            report(bus, "cam-1", 6, true, false);      // and dark again: judged as ever
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() >= 3);
            Thread.sleep(300);
            assertThat(findings).extracting(Finding::sourceId, Finding::condition).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("cam-1", Condition.CLEARED),
                    org.assertj.core.groups.Tuple.tuple("cam-2", Condition.CLEARED),
                    org.assertj.core.groups.Tuple.tuple("cam-1", Condition.ACTIVE));
            assertThat(findings).filteredOn(f -> f.sourceId().equals("cam-1")).extracting(Finding::message)
                    .containsExactly("cam-1: video back", "cam-1: video loss, no picture for 6 s");
        }
    }

    @Test
    void withAlertingElsewhereTheFirstPictureEndsALossThatMayBeOpenThereAndAFreshIntakeEndsNone() throws Exception {
        ConfigSource config = ConfigSource.of(Deployments.builder().name("t").camera(camera("cam-1", null))
                .camera(camera("cam-2", null)).build());
        List<Finding> findings = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus();
             VideoLossWatch watch = new VideoLossWatch(config, bus, Duration.ofSeconds(5)).alarmsElsewhere().start()) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            report(bus, "cam-1", 0.1, true, false);    // maybe open there: ended, once
            report(bus, "cam-1", 0.1, true, false);
            report(bus, "cam-2", 6, true, false);      // dark before and after: judged as ever (alerting adds it to the open alarm)
            report(bus, "cam-2", 0.4, false, false);   // its intake restarted: no picture yet, so the loss stands
            report(bus, "cam-2", 6, false, false);
            report(bus, "cam-2", 0.1, true, false);
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() >= 3);
            Thread.sleep(300);
            assertThat(findings).filteredOn(f -> f.sourceId().equals("cam-1")).extracting(Finding::condition)
                    .containsExactly(Condition.CLEARED);
            assertThat(findings).filteredOn(f -> f.sourceId().equals("cam-2")).extracting(Finding::condition)
                    .containsExactly(Condition.ACTIVE, Condition.CLEARED);
            assertThat(watch.isLost("cam-2")).isFalse();
        }
    }

    static Alarm openLoss(String camera) {
        return new Alarm("alarm-" + camera, camera + "|video-loss", FindingKind.VIDEO_LOSS, Level.YELLOW, Level.YELLOW,
                AlarmState.RAISED, false, camera, SITE, VideoLossWatch.RULE, camera + ": video loss", 6, 6, 5, 1, T, T, T, null);
    }

    static void report(InProcessBus bus, String id, double silent, boolean ever, boolean gone) throws InterruptedException {
        report(bus, id, silent, ever, gone, T);
    }

    static void report(InProcessBus bus, String id, double silent, boolean ever, boolean gone, Instant at)
            throws InterruptedException {
        bus.publish(Topic.STREAMS, id, new StreamReport(id, SITE, at, silent, ever, gone));
    }
}
