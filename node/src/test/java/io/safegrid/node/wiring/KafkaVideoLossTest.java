package io.safegrid.node.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.alarm.AlarmService;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.analytics.video.loss.VideoLossWatch;
import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.bus.kafka.KafkaBusSettings;
import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.video.StreamReport;
import io.safegrid.node.TestCounty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Kafka the analytics nodes share the cameras' stream reports: a node that leaves hands its share
 * to another, which has not judged those cameras. A loss it judged still ends at the camera's first
 * picture, and a camera still dark gets no second alarm and no second notification.
 */
class KafkaVideoLossTest {
    private static final String BACK = "cam-hd-tankfarm";
    private static final String DARK = "cam-kc-pithead";
    @TempDir
    Path dir;

    @Test
    void aLossJudgedOnANodeThatLeftEndsAtTheFirstPictureOnTheNodeThatTookItsShare() throws Exception {
        ConfigSource config = ConfigSource.of(new DeploymentLoader(k -> null).read("county.yaml",
                TestCounty.yaml(Files.createDirectories(dir.resolve("data"))), null));
        // seconds since each camera's last picture, reported as the intake does (here five times a second)
        Map<String, Double> silence = new ConcurrentHashMap<>(Map.of(BACK, 6.0, DARK, 6.0));
        ScheduledExecutorService intake = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Files.createDirectories(dir.resolve("kafka")));
             KafkaBus a = bus(kafka, "node-a");
             KafkaBus b = bus(kafka, "node-b");
             AlarmService alarms = new AlarmService(config, a, new SimpleMeterRegistry(), dir.resolve("data"), Clock.systemUTC(),
                     ChannelNotifier.defaults(Duration.ofSeconds(1), Clock.systemUTC()))) {
            alarms.start();
            // node a runs alerting beside analytics, node b only analytics; one partition: one of them judges both
            VideoLossWatch onA = new VideoLossWatch(config, a, Duration.ofSeconds(5)).resumeFrom(alarms).start();
            VideoLossWatch onB = new VideoLossWatch(config, b, Duration.ofSeconds(5)).alarmsElsewhere().start();
            intake.scheduleAtFixedRate(() -> silence.forEach((camera, silent) -> {
                try {
                    a.publish(Topic.STREAMS, camera, new StreamReport(camera, config.current().camera(camera).orElseThrow().site(),
                            Instant.now(), silent, true, false));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }), 0, 200, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> videoLoss(alarms, BACK) != null && videoLoss(alarms, DARK) != null);
            Alarm back = videoLoss(alarms, BACK);
            Alarm dark = videoLoss(alarms, DARK);
            int notified = alarms.deliveries(dark.id()).size();
            assertThat(notified).as("the loss was notified").isPositive();

            VideoLossWatch judged = onA.isLost(DARK) ? onA : onB;
            VideoLossWatch takesOver = judged == onA ? onB : onA;
            // the pictures come back while the share moves: the next node's first report of the camera has them
            silence.remove(BACK);
            Thread.sleep(500);   // the last report without them handled
            judged.close();      // leaves the group: the other node takes the share over
            silence.put(BACK, 0.2);
            await().atMost(Duration.ofSeconds(30)).until(() -> alarms.get(back.id()).orElseThrow().state() == AlarmState.CLEARED);
            // the camera still dark is judged lost again there (its reports may reach that node after the other camera's)
            await().atMost(Duration.ofSeconds(30)).until(() -> takesOver.isLost(DARK));
            // and that is a repeat of the open alarm
            await().atMost(Duration.ofSeconds(30)).until(() -> alarms.get(dark.id()).orElseThrow().count() > dark.count());
            assertThat(alarms.list(AlarmQuery.all().page(0, 500)).items())
                    .filteredOn(x -> x.sourceId().equals(DARK) && x.kind() == FindingKind.VIDEO_LOSS).hasSize(1);
            assertThat(alarms.timeline(dark.id())).extracting(AlarmEvent::type).containsOnlyOnce(AlarmEvent.Type.RAISED);
            assertThat(alarms.deliveries(dark.id())).as("nobody is told again").hasSize(notified);
            onA.close();
            onB.close();
        } finally {
            intake.shutdownNow();
        }
    }

    private static KafkaBus bus(EmbeddedKafka kafka, String node) {
        return new KafkaBus(KafkaBusSettings.of(kafka.bootstrapServers(), "vloss.", 1, node)
                .withSessionTimeout(Duration.ofSeconds(3)), new SimpleMeterRegistry());
    }

    private static Alarm videoLoss(AlarmService alarms, String camera) {
        return alarms.list(AlarmQuery.all().page(0, 500)).items().stream()
                .filter(x -> x.sourceId().equals(camera) && x.kind() == FindingKind.VIDEO_LOSS).findFirst().orElse(null);
    }
}
