package io.safegrid.alerting.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.disk.DiskSettings;
import io.safegrid.alerting.disk.DiskWatch;
import io.safegrid.testing.SmallDisk;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.HttpReceiver;
import io.safegrid.alerting.notify.Message;
import io.safegrid.alerting.notify.Samples;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.Deployment;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm path on a real small disk that fills up: real H2 files, a real webhook receiver.
 * A red alarm raised while the alarm store cannot write is still notified (marked not yet stored),
 * the county hears of the storage trouble, and once space returns the store comes back by itself
 * with the alarm in it.
 */
class FullDiskTest {
    private static final long MIB = 1024 * 1024;
    @TempDir
    Path tmp;
    SmallDisk disk;
    HttpReceiver hook;
    Fixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (hook != null) {
            hook.close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    private void start(SmallDisk d, DiskSettings settings) throws Exception {
        hook = new HttpReceiver();
        ChannelDef ch = new ChannelDef("duty-hook", "webhook", Map.of("url", hook.url("/hook"), "timeout", "10s"));
        Deployment dep = Samples.withContacts(Samples.county(List.of(ch), List.of()), "kzs", Map.of("duty-hook", "mine"));
        dep = Samples.withContacts(dep, "xian", Map.of("duty-hook", "county"));
        fx = new Fixture(d.dir.resolve("data"), ChannelNotifier.defaults(Duration.ofSeconds(5), Clock.systemUTC()));
        fx.deployment = dep;
        fx.diskSettings = settings;
        fx.start();
    }

    private List<HttpReceiver.Request> posts(String... parts) {
        return hook.requests.stream().filter(r -> List.of(parts).stream().allMatch(r.body()::contains)).toList();
    }

    @Test
    void aRedAlarmOnAFullDiskIsNotifiedAtOnceAndStoredWhenSpaceReturns() throws Exception {
        disk = SmallDisk.mount(tmp.resolve("small"), 24);
        start(disk, new DiskSettings(6 * MIB, 3 * MIB, 2 * MIB, Duration.ofMillis(200)));
        assertThat(Files.size(disk.dir.resolve("data").resolve(DiskWatch.RESERVE))).isEqualTo(2 * MIB);
        fx.publish(fx.methane(Level.BLUE, Condition.ACTIVE, 0.6));
        await().atMost(Duration.ofSeconds(30)).until(() -> posts("\"alarmId\"", "\"blue\"").size() == 1);

        // fill the disk; the watch releases the reserve; fill that too: now H2's next write fails
        disk.fill();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.diskLevel() == DiskWatch.Level.REFUSING
                && !Files.exists(disk.dir.resolve("data").resolve(DiskWatch.RESERVE)));
        disk.fill();

        long t0 = System.nanoTime();
        fx.publish(fx.methane(Level.RED, Condition.ACTIVE, 1.6));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> !posts("\"red\"", "ch4-1").isEmpty());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("red notification within 10 s of the reading").isLessThan(10_000);
        HttpReceiver.Request red = posts("\"red\"", "ch4-1").get(0);
        assertThat(red.body()).contains(Message.NOT_YET_STORED_ZH);   // its recipient reads Chinese, the default
        assertThat(fx.service.storeUp()).isFalse();
        assertThat(fx.registry.get("safegrid.alarms.store.up").gauge().value()).isZero();
        // the county duty officer hears of the storage trouble
        await().atMost(Duration.ofSeconds(30)).until(() -> !posts("STORAGE_TROUBLE", "/county\"").isEmpty()
                || !posts("STORAGE_TROUBLE", "\"county\"").isEmpty());
        // the alarm desk still answers, from memory
        Alarm open = fx.service.list(AlarmQuery.all()).items().stream().filter(a -> a.kind() == FindingKind.THRESHOLD)
                .findFirst().orElseThrow();
        assertThat(open.level()).isEqualTo(Level.RED);
        // and takes actions: the county acknowledges while the store is down
        fx.service.acknowledge(open.id(), "xian", "已派人 / on it");

        // space returns: the store comes back by itself, with what memory held
        disk.free();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> fx.service.storeUp());
        assertThat((System.nanoTime() - back) / 1_000_000_000).as("recovered within 60 s").isLessThan(60);
        assertThat(fx.registry.get("safegrid.alarms.store.reconciled").counter().count()).isPositive();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).items().stream()
                .anyMatch(a -> a.kind() == FindingKind.STORAGE_TROUBLE && a.state() == AlarmState.CLEARED));

        // what happened during the outage is on disk: a restart reads it back
        fx.stop();
        fx.start();
        Alarm stored = fx.service.get(open.id()).orElseThrow();
        assertThat(stored.level()).isEqualTo(Level.RED);
        assertThat(stored.acknowledged()).isTrue();
        List<AlarmEvent> timeline = fx.service.timeline(open.id());
        assertThat(timeline).extracting(AlarmEvent::type).contains(AlarmEvent.Type.RAISED, AlarmEvent.Type.LEVEL_CHANGED,
                AlarmEvent.Type.NOTIFIED, AlarmEvent.Type.ACKNOWLEDGED);
        assertThat(timeline).extracting(AlarmEvent::sequence).as("one timeline, numbered in order").isSorted()
                .doesNotHaveDuplicates();
        assertThat(fx.service.deliveries(open.id())).extracting(d -> d.status().name()).contains("SENT");
        Alarm trouble = fx.service.list(AlarmQuery.all()).items().stream()
                .filter(a -> a.kind() == FindingKind.STORAGE_TROUBLE).findFirst().orElseThrow();
        assertThat(trouble.state()).isEqualTo(AlarmState.CLEARED);
        assertThat(trouble.site()).isEqualTo(Fixture.COUNTY);
    }

    @Test
    void aSendThatEndsWhileTheStoreIsDownHasItsOutcomeStoredWhenItIsBack() throws Exception {
        disk = SmallDisk.mount(tmp.resolve("small"), 24);
        hook = new HttpReceiver();
        // the blue alarm's send hangs until its timeout, across the store's failure: 5 s, so that a busy machine
        // still fails the store within it
        hook.hangFirst = 1;
        ChannelDef ch = new ChannelDef("duty-hook", "webhook", Map.of("url", hook.url("/hook"), "timeout", "5s"));
        fx = new Fixture(disk.dir.resolve("data"), ChannelNotifier.defaults(Duration.ofSeconds(5), Clock.systemUTC()));
        fx.deployment = Samples.withContacts(Samples.county(List.of(ch), List.of()), "kzs", Map.of("duty-hook", "mine"));
        fx.outboxSettings = new io.safegrid.alerting.outbox.OutboxSettings(Duration.ofSeconds(1), Duration.ofSeconds(4), 2.0,
                4, Duration.ofHours(1), Duration.ofMillis(50), Duration.ofSeconds(3));
        fx.diskSettings = new DiskSettings(6 * MIB, 3 * MIB, 2 * MIB, Duration.ofMillis(100));
        fx.start();
        fx.publish(fx.methane(Level.BLUE, Condition.ACTIVE, 0.6));
        assertThat(hook.hanging.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String blue = fx.service.list(AlarmQuery.all()).items().get(0).id();

        disk.fill();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.diskLevel() == DiskWatch.Level.REFUSING
                && !Files.exists(disk.dir.resolve("data").resolve(DiskWatch.RESERVE)));
        disk.fill();
        fx.publish(fx.finding("ch4-2", Fixture.MINE, FindingKind.THRESHOLD, "methane-return", Level.BLUE, Condition.ACTIVE, 0.8));
        await().atMost(Duration.ofSeconds(30)).until(() -> !fx.service.storeUp());
        // the hanging send times out while the stand-in holds the alarms: its row is in the file
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.registry.find("safegrid.notify.deliveries")
                .tag("type", "webhook").tag("result", "retried").counter() != null);

        disk.free();
        await().atMost(Duration.ofSeconds(60)).until(() -> fx.service.storeUp());
        assertThat(fx.service.deliveries(blue)).singleElement().satisfies(d -> {
            assertThat(d.status().name()).as("the outcome reached while the file was down").isEqualTo("RETRYING");
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.lastError()).isNotBlank();
        });
        fx.clock.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.deliveries(blue).get(0).status().name()
                .equals("SENT"));
        String key = fx.service.deliveries(blue).get(0).key();
        assertThat(hook.requests).filteredOn(r -> key.equals(r.header("Idempotency-Key"))).hasSize(2);
    }

    @Test
    void theReserveKeepsTheAlarmStoreWritingWhenEverythingElseFilledTheDisk() throws Exception {
        disk = SmallDisk.mount(tmp.resolve("small"), 24);
        start(disk, new DiskSettings(6 * MIB, 3 * MIB, 4 * MIB, Duration.ofMillis(200)));
        disk.fill();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.diskLevel() == DiskWatch.Level.REFUSING);
        fx.publish(fx.methane(Level.RED, Condition.ACTIVE, 1.6));
        await().atMost(Duration.ofSeconds(30)).until(() -> !posts("\"red\"", "ch4-1").isEmpty());
        assertThat(fx.service.storeUp()).as("the released reserve gave the store room").isTrue();
        assertThat(posts("\"red\"", "ch4-1").get(0).body()).doesNotContain(Message.NOT_YET_STORED_ZH);
        await().atMost(Duration.ofSeconds(30)).until(() -> !posts("STORAGE_TROUBLE").isEmpty());
        disk.free();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.diskLevel() == DiskWatch.Level.OK);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).items().stream()
                .anyMatch(a -> a.kind() == FindingKind.STORAGE_TROUBLE && a.state() == AlarmState.CLEARED));
        assertThat(Files.size(disk.dir.resolve("data").resolve(DiskWatch.RESERVE))).as("reserve made again").isEqualTo(4 * MIB);
    }
}
