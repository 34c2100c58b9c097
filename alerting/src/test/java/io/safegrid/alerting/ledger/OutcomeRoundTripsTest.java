package io.safegrid.alerting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Recorder;
import io.safegrid.alerting.outbox.OutboxSettings;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL, the whole life of a notification on an otherwise idle channel — the alarm that
 * claims it and the attempt's outcome — costs the ledger's connection two round trips: the ledger
 * knows nothing else waits on the channel and does not ask the store for its next due row. Rows
 * that do wait behind a busy channel are still found and sent.
 */
class OutcomeRoundTripsTest {
    @TempDir
    Path dir;
    final Recorder recorder = new Recorder();
    CountedWire wire;
    Fixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (wire != null) {
            wire.close();
        }
    }

    private double sent() {
        return fx.registry.find("safegrid.notify.deliveries").tag("result", "sent").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aNotificationOnAnIdleChannelIsTwoRoundTripsAndQueuedOnesStillGo() throws Exception {
        wire = new CountedWire(dir);
        fx = new Fixture(dir, recorder);
        fx.store = wire.relayed;
        // the poller would read the store now and then; here only the alarms and their outcomes do
        OutboxSettings d = OutboxSettings.defaults();
        fx.outboxSettings = new OutboxSettings(d.firstRetry(), d.maxRetry(), d.multiplier(), d.maxAttempts(), d.maxAge(),
                Duration.ofHours(1), d.drainOnClose());
        fx.start();

        // three people told on one channel: one sent at once, two queued behind it, each claimed by the outcome before
        fx.publish(fx.methane(Level.YELLOW, Condition.ACTIVE, 1.0));
        await().atMost(Duration.ofSeconds(30)).until(() -> sent() == 3);
        assertThat(recorder.sent).hasSize(3);
        assertThat(recorder.sent.stream().map(Recorder.Sent::channel).distinct()).hasSize(1);

        int before = wire.mark();
        fx.publish(fx.finding("ch4-2", Fixture.MINE, FindingKind.THRESHOLD, "methane", Level.BLUE, Condition.ACTIVE, 0.6));
        await().atMost(Duration.ofSeconds(30)).until(() -> sent() == 4);
        assertThat(recorder.sent).hasSize(4);
        assertThat(wire.roundTripsSince(before))
                .as("the raise that claims the row, then the outcome's commit").isEqualTo(2);
    }
}
