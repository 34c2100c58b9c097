package io.safegrid.alerting.outbox;

import io.safegrid.alerting.Stores;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.notify.Notification;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.alerting.notify.Samples;
import io.safegrid.config.ChannelDef;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications through the whole alarm path (finding, ledger, senders, outcome): one send per
 * transition, recipient and channel; a row stored claimed goes out without the poller; a channel's
 * rows go out one after the other in order; a row waiting for an alarm closed meanwhile is dropped.
 * The poller looks once an hour here, so whatever goes out is the ledger's own hand-over.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Stores.class)
class DeliveryOnceTest {
    @Parameter
    Stores stores;
    static final OutboxSettings HOURLY_POLL = new OutboxSettings(Duration.ofSeconds(1), Duration.ofSeconds(4), 2.0, 4,
            Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(3));

    @TempDir
    Path dir;
    Fixture fx;
    final Channels notifier = new Channels();

    /** Remembers every send; the sends on {@link #held} wait for {@link #release}. */
    static final class Channels implements Notifier {
        record Sent(String channel, String alarmId, long eventSeq) {
        }

        final List<Sent> sent = new CopyOnWriteArrayList<>();
        volatile String held;
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void send(Notification n) throws Exception {
            if (n.channel().id().equals(held)) {
                holding.countDown();
                assertThat(release.await(20, TimeUnit.SECONDS)).isTrue();
            }
            sent.add(new Sent(n.channel().id(), n.message().alarmId(), n.message().eventSeq()));
        }

        List<String> on(String channel) {
            return sent.stream().filter(s -> s.channel().equals(channel)).map(Sent::alarmId).toList();
        }
    }

    @AfterEach
    void stop() {
        notifier.release.countDown();
        if (fx != null) {
            fx.close();
        }
    }

    /** The mine's control room (kzs) on three channels; a blue alarm tells only kzs. */
    void start(OutboxSettings settings) throws Exception {
        List<ChannelDef> channels = List.of(new ChannelDef("a", "webhook", Map.of()), new ChannelDef("b", "webhook", Map.of()),
                new ChannelDef("c", "webhook", Map.of()));
        fx = new Fixture(dir, notifier).on(stores);
        fx.outboxSettings = settings;
        fx.deployment = Samples.withContacts(Samples.county(channels, List.of()), "kzs", Map.of("a", "1", "b", "2", "c", "3"));
        fx.start();
    }

    /** Raises a blue alarm of its own (one rule per alarm) and returns it once stored. */
    Alarm raise(String rule) throws Exception {
        fx.publish(fx.finding("ch4-1", Fixture.MINE, FindingKind.THRESHOLD, rule, Level.BLUE, Condition.ACTIVE, 0.6));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).items().stream()
                .anyMatch(a -> a.rule().equals(rule)));
        return fx.service.list(AlarmQuery.all()).items().stream().filter(a -> a.rule().equals(rule)).findFirst().orElseThrow();
    }

    List<String> notes(String alarmId, AlarmEvent.Type type) {
        return fx.service.timeline(alarmId).stream().filter(e -> e.type() == type).map(AlarmEvent::note).toList();
    }

    @Test
    void eachRecipientAndChannelIsToldOnceWithoutThePollerAndNeverAgainAfterARestart() throws Exception {
        start(HOURLY_POLL);
        Alarm a = raise("methane");
        await().atMost(Duration.ofSeconds(30)).until(() -> notifier.sent.size() == 3);
        assertThat(notifier.sent).extracting(Channels.Sent::channel).containsExactlyInAnyOrder("a", "b", "c");
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFIED).size() == 3);
        assertThat(fx.service.deliveries(a.id())).hasSize(3)
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(Delivery.Status.SENT))
                .allSatisfy(d -> assertThat(d.attempts()).as("claimed by the alarm's own commit, tried once").isEqualTo(1));

        fx.stop();
        fx.start(); // the poller looks once at start
        Thread.sleep(300);
        assertThat(notifier.sent).as("a delivered notification is never sent again").hasSize(3);
    }

    @Test
    void aBusyChannelsRowsWaitAndGoOutInOrderWhenItsSendEnds() throws Exception {
        notifier.held = "a";
        start(HOURLY_POLL);
        Alarm first = raise("r1");
        assertThat(notifier.holding.await(30, TimeUnit.SECONDS)).isTrue();
        Alarm second = raise("r2");
        Alarm third = raise("r3");
        await().atMost(Duration.ofSeconds(30)).until(() -> notifier.on("b").size() == 3 && notifier.on("c").size() == 3);
        assertThat(fx.service.deliveries(first.id())).filteredOn(d -> d.channelId().equals("a")).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(Delivery.Status.SENDING));
        assertThat(fx.service.deliveries(second.id())).filteredOn(d -> d.channelId().equals("a")).singleElement()
                .satisfies(d -> assertThat(d.status()).as("its channel is busy").isEqualTo(Delivery.Status.QUEUED));

        notifier.held = null;
        notifier.release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> notifier.on("a").size() == 3);
        assertThat(notifier.on("a")).containsExactly(first.id(), second.id(), third.id());
        Thread.sleep(200);
        assertThat(notifier.sent).hasSize(9);
    }

    @Test
    void aRowWaitingForAnAlarmClosedMeanwhileIsDroppedAndTheTimelineSaysSo() throws Exception {
        notifier.held = "a";
        start(HOURLY_POLL);
        raise("r1");
        assertThat(notifier.holding.await(30, TimeUnit.SECONDS)).isTrue();
        Alarm closed = raise("r2");
        fx.service.acknowledge(closed.id(), "kzs", "seen");
        fx.service.close(closed.id(), "kzs", "ventilated, back below the limit");

        notifier.held = null;
        notifier.release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.deliveries(closed.id()).stream()
                .noneMatch(d -> d.status().isPending()));
        assertThat(notifier.on("a")).doesNotContain(closed.id());
        assertThat(fx.service.deliveries(closed.id())).filteredOn(d -> d.channelId().equals("a")).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(Delivery.Status.FAILED));
        assertThat(notes(closed.id(), AlarmEvent.Type.NOTIFICATION_FAILED)).singleElement().asString()
                .contains("via a", "alarm closed before it was sent");
    }

    @Test
    void aBurstOverThreeChannelsGoesOutExactlyOnceEachInRaiseOrder() throws Exception {
        start(HOURLY_POLL);
        int alarms = 200;
        long t0 = System.nanoTime();
        for (int i = 0; i < alarms; i++) {
            fx.publish(fx.finding("ch4-1", Fixture.MINE, FindingKind.THRESHOLD, "burst-" + i, Level.BLUE, Condition.ACTIVE, 0.6));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> notifier.sent.size() >= 3 * alarms);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("burst: %d alarms, %d notifications over 3 channels sent and journalled in %.2f s%n", alarms,
                3 * alarms, seconds);
        Thread.sleep(200);
        assertThat(notifier.sent).hasSize(3 * alarms);
        assertThat(notifier.sent.stream().map(s -> s.alarmId() + "/" + s.channel()).distinct().count()).isEqualTo(3L * alarms);
        // the ledger numbers timeline lines in commit order, so a RAISED line's number is its alarm's place in the burst
        for (String ch : List.of("a", "b", "c")) {
            assertThat(notifier.sent.stream().filter(x -> x.channel().equals(ch)).map(Channels.Sent::eventSeq).toList())
                    .as("channel %s in raise order", ch).isSorted();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.published.stream()
                .filter(e -> e.type() == AlarmEvent.Type.NOTIFIED).count() == 3L * alarms);
    }
}
