package io.safegrid.alerting.outbox;

import io.safegrid.alerting.Stores;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.HttpReceiver;
import io.safegrid.alerting.notify.Samples;
import io.safegrid.config.ChannelDef;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.finding.Condition;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox through the alarm service, against real local receivers: retries, a hanging receiver,
 * a restart between a failure and its retry, giving up. The test clock decides when a retry is due.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Stores.class)
class OutboxTest {
    @Parameter
    Stores stores;
    static final OutboxSettings FAST = new OutboxSettings(Duration.ofSeconds(1), Duration.ofSeconds(4), 2.0, 4,
            Duration.ofHours(1), Duration.ofMillis(50), Duration.ofSeconds(3));
    @TempDir
    Path dir;
    final List<HttpReceiver> receivers = new ArrayList<>();
    Fixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
        receivers.forEach(HttpReceiver::close);
    }

    HttpReceiver receiver() throws Exception {
        HttpReceiver r = new HttpReceiver();
        receivers.add(r);
        return r;
    }

    static ChannelDef hook(String id, HttpReceiver r, String timeout) {
        return new ChannelDef(id, "webhook", Map.of("url", r.url("/" + id), "timeout", timeout));
    }

    /** A blue methane alarm: only the mine's control room (kzs) is told, over the given channels. */
    Alarm raise(List<ChannelDef> channels, OutboxSettings settings) throws Exception {
        fx = new Fixture(dir, ChannelNotifier.defaults(Duration.ofSeconds(5), Clock.systemUTC())).on(stores);
        fx.outboxSettings = settings;
        Map<String, String> contacts = new java.util.HashMap<>();
        channels.forEach(c -> contacts.put(c.id(), "dispatch-7"));
        fx.deployment = Samples.withContacts(Samples.county(channels, List.of()), "kzs", contacts);
        fx.start();
        fx.publish(fx.methane(Level.BLUE, Condition.ACTIVE, 0.6));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).total() == 1);
        return fx.service.list(AlarmQuery.all()).items().get(0);
    }

    List<String> notes(String alarmId, AlarmEvent.Type type) {
        return fx.service.timeline(alarmId).stream().filter(e -> e.type() == type).map(AlarmEvent::note).toList();
    }

    double count(String type, String result) {
        var c = fx.registry.find("safegrid.notify.deliveries").tag("type", type).tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aReceiverFailingTwiceGetsItOnTheThirdAttemptExactlyOnce() throws Exception {
        HttpReceiver r = receiver();
        r.failFirst = 2;
        Alarm a = raise(List.of(hook("ops-hook", r, "10s")), FAST);
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).size() == 1);
        assertThat(notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).get(0))
                .startsWith("kzs (KZS) via ops-hook @ " + Fixture.MINE).contains("attempt 1 of 4 failed", "in 1 s", "HTTP 500");
        Thread.sleep(200);
        assertThat(r.requests).as("not retried before its time").hasSize(1);
        fx.clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).size() == 2);
        assertThat(notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).get(1)).contains("attempt 2 of 4 failed", "in 2 s");
        fx.clock.advance(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFIED).size() == 1);
        assertThat(notes(a.id(), AlarmEvent.Type.NOTIFIED).get(0)).contains("delivered on attempt 3");

        fx.clock.advance(Duration.ofMinutes(1));
        Thread.sleep(300);
        assertThat(r.requests).hasSize(3);
        assertThat(r.accepted).hasValue(1);
        assertThat(r.requests).extracting(q -> q.header("Idempotency-Key")).containsOnly(r.requests.get(0).header("Idempotency-Key"));
        assertThat(fx.service.deliveries(a.id())).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(Delivery.Status.SENT))
                .satisfies(d -> assertThat(d.attempts()).isEqualTo(3));
        // the delivery counters are counted just after the outcome's commit, so they may trail its timeline line
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count("webhook", "retried")).isEqualTo(2);
            assertThat(count("webhook", "sent")).isEqualTo(1);
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.registry.get("safegrid.notify.outbox.depth").gauge().value() == 0);
    }

    @Test
    void aHangingReceiverTimesOutIsRetriedAndHoldsUpNobodyElse() throws Exception {
        HttpReceiver slow = receiver();
        slow.hangFirst = 1;
        HttpReceiver fast = receiver();
        // the slow receiver's 5 s timeout is the window in which the fast one must be told, wide enough for a busy machine
        Alarm a = raise(List.of(hook("slow-hook", slow, "5s"), hook("fast-hook", fast, "10s")), FAST);
        assertThat(slow.hanging.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFIED).size() == 1);
        assertThat(notes(a.id(), AlarmEvent.Type.NOTIFIED).get(0)).contains("via fast-hook");
        assertThat(notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED)).as("told while the other receiver hangs").isEmpty();

        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).size() == 1);
        assertThat(notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).get(0)).contains("via slow-hook", "no answer within 5000 ms");
        fx.clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFIED).size() == 2);
        assertThat(slow.accepted).hasValue(1);
        assertThat(fast.requests).hasSize(1);
    }

    @Test
    void aRestartBetweenFailureAndRetryDeliversItOnce() throws Exception {
        HttpReceiver r = receiver();
        r.failFirst = 1;
        Alarm a = raise(List.of(hook("ops-hook", r, "10s")), FAST);
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).size() == 1);
        fx.stop();

        fx.start();
        assertThat(fx.service.deliveries(a.id())).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(Delivery.Status.RETRYING));
        fx.clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFIED).size() == 1);
        assertThat(r.requests).hasSize(2);
        fx.stop();

        fx.start();
        fx.clock.advance(Duration.ofMinutes(5));
        Thread.sleep(300);
        assertThat(r.requests).as("a delivered notification is never sent again").hasSize(2);
        assertThat(r.accepted).hasValue(1);
    }

    @Test
    void afterMaxAttemptsItFailsForGoodAndIsCounted() throws Exception {
        HttpReceiver r = receiver();
        r.okStatus = 503;
        Alarm a = raise(List.of(hook("ops-hook", r, "10s")), new OutboxSettings(Duration.ofSeconds(1), Duration.ofSeconds(4),
                2.0, 2, Duration.ofHours(1), Duration.ofMillis(50), Duration.ofSeconds(3)));
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).size() == 1);
        fx.clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).size() == 2);
        assertThat(notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).get(1)).contains("failed for good", "gave up after 2 attempts", "503");
        fx.clock.advance(Duration.ofMinutes(10));
        Thread.sleep(300);
        assertThat(r.requests).hasSize(2);
        assertThat(fx.service.deliveries(a.id())).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(Delivery.Status.FAILED));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count("webhook", "failed")).isEqualTo(1));
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        HttpReceiver r = receiver();
        r.okStatus = 404;
        Alarm a = raise(List.of(hook("ops-hook", r, "10s")), FAST);
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).size() == 1);
        assertThat(notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).get(0)).contains("not retryable", "HTTP 404");
        fx.clock.advance(Duration.ofMinutes(10));
        Thread.sleep(300);
        assertThat(r.requests).hasSize(1);
    }

    @Test
    void aDingTalkRateLimitIsRetriedAndEachAttemptIsSignedAfresh() throws Exception {
        HttpReceiver r = receiver();
        r.reply = "{\"errcode\":130101,\"errmsg\":\"send too fast\"}";
        ChannelDef robot = new ChannelDef("duty-robot", "dingtalk", Map.of("url", r.url("/robot/send?access_token=t"),
                "secret", "SECabcdef0123456789"));
        Alarm a = raise(List.of(robot), FAST);
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).size() == 1);
        assertThat(notes(a.id(), AlarmEvent.Type.NOTIFICATION_FAILED).get(0)).contains("errcode 130101: send too fast");
        r.reply = "{\"errcode\":0,\"errmsg\":\"ok\"}";
        Thread.sleep(5); // a new millisecond, so a new timestamp
        fx.clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> notes(a.id(), AlarmEvent.Type.NOTIFIED).size() == 1);
        assertThat(r.requests).hasSize(2);
        assertThat(r.requests.get(1).param("timestamp")).isNotEqualTo(r.requests.get(0).param("timestamp"));
        assertThat(r.requests.get(1).param("sign"))
                .isEqualTo(io.safegrid.alerting.notify.DingTalkNotifier.sign(Long.parseLong(r.requests.get(1).param("timestamp")),
                        "SECabcdef0123456789"));
    }
}
