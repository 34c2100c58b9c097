package io.safegrid.alerting.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Recorder;
import io.safegrid.alerting.disk.DiskSettings;
import io.safegrid.alerting.disk.DiskWatch;
import io.safegrid.alerting.notify.Notification;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.testing.SmallDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications that were stored and waiting for their channel when the alarm store failed (the
 * disk filled) are still sent while it is down: the ledger goes on from memory with them, instead of
 * leaving them in a file it cannot use until space returns.
 */
class QueuedAtFailureTest {
    private static final long MIB = 1024 * 1024;
    @TempDir
    Path tmp;
    SmallDisk disk;
    Fixture fx;
    final CountDownLatch firstSendMayEnd = new CountDownLatch(1);
    final CountDownLatch firstSendBegun = new CountDownLatch(1);
    final Recorder recorder = new Recorder();

    @AfterEach
    void stop() throws Exception {
        firstSendMayEnd.countDown();
        if (fx != null) {
            fx.close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void whatWaitedForItsChannelWhenTheStoreFailedIsStillSent() throws Exception {
        disk = SmallDisk.mount(tmp.resolve("small"), 24);
        // the channel's first attempt hangs until the store has failed: the two behind it wait, stored in the file
        Notifier held = (Notification n) -> {
            if (recorder.sent.isEmpty()) {
                firstSendBegun.countDown();
                firstSendMayEnd.await();
            }
            recorder.send(n);
        };
        fx = new Fixture(disk.dir.resolve("data"), held);
        fx.diskSettings = new DiskSettings(6 * MIB, 3 * MIB, 2 * MIB, Duration.ofMillis(200));
        fx.start();
        fx.publish(fx.methane(Level.YELLOW, Condition.ACTIVE, 1.0));   // three people, one channel
        assertThat(firstSendBegun.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(fx.service.storeUp()).as("the alarm and its three rows are in the file").isTrue();

        disk.fill();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.diskLevel() == DiskWatch.Level.REFUSING
                && !java.nio.file.Files.exists(disk.dir.resolve("data").resolve(DiskWatch.RESERVE)));
        disk.fill();
        // the next change cannot be written: the store goes down and the ledger on from memory
        fx.publish(fx.finding("co-9", Fixture.OTHER_MINE, io.safegrid.model.finding.FindingKind.THRESHOLD, "co",
                Level.RED, Condition.ACTIVE, 60));
        await().atMost(Duration.ofSeconds(30)).until(() -> !fx.service.storeUp());
        firstSendMayEnd.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.sent.isEmpty());
        String yellow = recorder.sent.get(0).alarmId();
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.sent.stream().filter(s -> s.alarmId().equals(yellow))
                .map(Recorder.Sent::user).distinct().count() == 3);
        assertThat(fx.service.storeUp()).as("told while the store is still down").isFalse();

        // space returns: the file takes the rows' outcomes from memory, so neither a reconcile nor a restart tells them again
        disk.free();
        await().atMost(Duration.ofSeconds(60)).until(() -> fx.service.storeUp());
        fx.stop();
        fx.start();
        Thread.sleep(1500);
        assertThat(recorder.sent.stream().filter(s -> s.alarmId().equals(yellow))).hasSize(3);
    }
}
