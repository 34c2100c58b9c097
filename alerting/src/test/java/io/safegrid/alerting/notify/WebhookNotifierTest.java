package io.safegrid.alerting.notify;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.alerting.Fixture;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.UserDef;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.finding.Condition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookNotifierTest {
    @TempDir
    Path dir;
    final HttpReceiver receiver = ChannelsTest.newReceiver();

    @AfterEach
    void stopServer() {
        receiver.close();
    }

    @Test
    void postsTheAlarmAsSignedJsonAndTheTimelineSaysWhoWasTold() throws Exception {
        ChannelDef hook = new ChannelDef("ops-hook", "webhook", Map.of("url", receiver.url("/hook"), "secret", "s3cret-hook"));
        ChannelDef sms = new ChannelDef("sms", "sms", Map.of());
        UserDef kzs = new UserDef("kzs", "矿调度室", null, "enterprise-operator", Fixture.MINE,
                Map.of("ops-hook", "dispatch-7", "sms", "13800000000"));
        try (Fixture fx = new Fixture(dir, ChannelNotifier.defaults(Duration.ofSeconds(10), java.time.Clock.systemUTC()))) {
            Deployment d = Samples.county(List.of(hook, sms), List.of());
            List<UserDef> users = new java.util.ArrayList<>(d.users());
            users.removeIf(u -> u.name().equals("kzs"));
            users.add(kzs);
            fx.deployment = Deployments.from(d).users(users).build();
            fx.start();
            assertThat(fx.registry.get("safegrid.notify.channels.invalid").counter().count())
                    .as("the sms channel without a url is reported at start").isEqualTo(1);
            fx.publish(fx.methane(Level.BLUE, Condition.ACTIVE, 0.6));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests.size() == 1);
            HttpReceiver.Request r = receiver.requests.get(0);
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertThat(body.get("recipient").asText()).isEqualTo("kzs");
            assertThat(body.get("address").asText()).isEqualTo("dispatch-7");
            assertThat(body.get("level").asText()).isEqualTo("blue");
            assertThat(body.get("levelLabel").asText()).isEqualTo("四级(蓝色)预警");
            assertThat(body.get("site").asText()).isEqualTo("蒲县/克城镇/三村/七号煤矿");
            assertThat(body.get("value").asDouble()).isEqualTo(0.6);
            assertThat(body.get("unit").asText()).isEqualTo("%");
            String id = fx.service.list(AlarmQuery.all()).items().get(0).id();
            // the phone page of this alarm, signed for the recipient
            assertThat(body.get("link").asText()).startsWith("https://safegrid.puxian.example/m/" + id + "?t=");
            assertThat(r.header("Idempotency-Key")).isEqualTo(body.get("deliveryId").asText()).startsWith(id + "/");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("s3cret-hook".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertThat(r.header("X-SafeGrid-Signature"))
                    .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body().getBytes(StandardCharsets.UTF_8))));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<AlarmEvent> t = fx.service.timeline(id);
                assertThat(t).filteredOn(e -> e.type() == AlarmEvent.Type.NOTIFIED).extracting(AlarmEvent::note)
                        .singleElement().asString().startsWith("kzs (矿调度室) via ops-hook @ " + Fixture.MINE);
                assertThat(t).filteredOn(e -> e.type() == AlarmEvent.Type.NOTIFICATION_FAILED).extracting(AlarmEvent::note)
                        .singleElement().asString().contains("via sms").contains("not retryable")
                        .contains("channel sms (sms): url is required");
            });
        }
    }

    @Test
    void aFailingEndpointIsAnError() {
        receiver.okStatus = 500;
        WebhookNotifier n = new WebhookNotifier(Duration.ofSeconds(10));
        ChannelDef hook = new ChannelDef("ops-hook", "webhook", Map.of("url", receiver.url("/hook")));
        assertThatThrownBy(() -> n.send(Samples.to(hook, null))).isInstanceOf(IOException.class).hasMessageContaining("500");
    }
}
