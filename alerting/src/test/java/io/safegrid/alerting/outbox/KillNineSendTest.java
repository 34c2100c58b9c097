package io.safegrid.alerting.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.HttpReceiver;
import io.safegrid.alerting.notify.Samples;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.Deployment;
import io.safegrid.model.alarm.AlarmEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node killed with -9 while a notification is on the wire sends it again after the restart (at-least-once). */
class KillNineSendTest {
    @TempDir
    Path dir;

    static Deployment county(String hookUrl) {
        ChannelDef hook = new ChannelDef("ops-hook", "webhook", Map.of("url", hookUrl));
        return Samples.withContacts(Samples.county(List.of(hook), List.of()), "kzs", Map.of("ops-hook", "dispatch-7"));
    }

    @Test
    @Timeout(120)
    void aSendCutByKillNineIsSentAgainAfterRestart() throws Exception {
        try (HttpReceiver r = new HttpReceiver()) {
            r.hangFirst = 1;
            String url = r.url("/hook");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    SendCrashChild.class.getName(), dir.toString(), url).redirectErrorStream(true).start();
            String id = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("RAISED ")) {
                        id = line.substring(7).trim();
                        break;
                    }
                }
                assertThat(id).as("child raised its alarm").isNotNull();
                assertThat(r.hanging.await(20, TimeUnit.SECONDS)).as("the notification reached the receiver").isTrue();
                child.destroyForcibly(); // SIGKILL while the receiver holds the request
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }

            try (Fixture fx = new Fixture(dir, ChannelNotifier.defaults(Duration.ofSeconds(5), Clock.systemUTC()))) {
                fx.outboxSettings = OutboxTest.FAST;
                fx.deployment = county(url);
                fx.start();
                String alarm = id;
                await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.timeline(alarm).stream()
                        .anyMatch(e -> e.type() == AlarmEvent.Type.NOTIFIED));
                assertThat(fx.service.timeline(alarm)).filteredOn(e -> e.type() == AlarmEvent.Type.NOTIFICATION_FAILED)
                        .extracting(AlarmEvent::note).singleElement().asString()
                        .contains("outcome of attempt 1 unknown", "sending again");
                assertThat(r.requests).hasSize(2);
                assertThat(r.accepted).hasValue(1);
                assertThat(r.requests.get(1).header("Idempotency-Key")).isEqualTo(r.requests.get(0).header("Idempotency-Key"));
            }
        }
    }
}
