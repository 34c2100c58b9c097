package io.safegrid.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.safegrid.alerting.Fixture;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.UserDef;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.finding.Condition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookNotifierTest {
    @TempDir
    Path dir;
    HttpServer server;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            received.add(new ObjectMapper().readTree(ex.getRequestBody()));
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Test
    void postsTheAlarmAsJsonAndTheTimelineSaysWhoWasTold() throws Exception {
        ChannelDef hook = new ChannelDef("ops-hook", "webhook", Map.of("url", url()));
        ChannelDef sms = new ChannelDef("sms", "sms", Map.of());
        UserDef kzs = new UserDef("kzs", "矿调度室", null, "enterprise-operator", Fixture.MINE,
                Map.of("ops-hook", "dispatch-7", "sms", "13800000000"));
        try (Fixture fx = new Fixture(dir, ChannelNotifier.defaults("https://safegrid.example"))) {
            fx.deployment = Fixture.deployment(List.of(), List.of(hook, sms), List.of());
            // replace the plain kzs with one reachable by webhook and SMS
            var users = new java.util.ArrayList<>(fx.deployment.users());
            users.removeIf(u -> u.name().equals("kzs"));
            users.add(kzs);
            var d = fx.deployment;
            fx.deployment = new io.safegrid.config.Deployment(d.name(), d.node(), d.metrics(), d.deviceClasses(), d.grid(),
                    d.sensors(), d.access(), d.cameras(), d.rules(), d.escalation(), d.rosters(), d.channels(), users, null);
            fx.start();
            fx.publish(fx.methane(Level.BLUE, Condition.ACTIVE, 0.6));
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            JsonNode body = received.get(0);
            assertThat(body.get("recipient").asText()).isEqualTo("kzs");
            assertThat(body.get("address").asText()).isEqualTo("dispatch-7");
            assertThat(body.get("level").asText()).isEqualTo("blue");
            assertThat(body.get("site").asText()).isEqualTo(Fixture.MINE.toString());
            assertThat(body.get("link").asText()).startsWith("https://safegrid.example/alarms/");
            String id = fx.service.list(AlarmQuery.all()).items().get(0).id();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<AlarmEvent> t = fx.service.timeline(id);
                assertThat(t).filteredOn(e -> e.type() == AlarmEvent.Type.NOTIFIED).extracting(AlarmEvent::note)
                        .singleElement().asString().contains("kzs").contains("ops-hook");
                assertThat(t).filteredOn(e -> e.type() == AlarmEvent.Type.NOTIFICATION_FAILED).extracting(AlarmEvent::note)
                        .singleElement().asString().contains("sms").contains("not implemented");
            });
        }
    }

    @Test
    void aFailingEndpointIsAnError() {
        status.set(500);
        WebhookNotifier n = new WebhookNotifier(Duration.ofSeconds(2), null);
        ChannelDef hook = new ChannelDef("ops-hook", "webhook", Map.of("url", url()));
        UserDef u = new UserDef("kzs", null, null, "enterprise-operator", Fixture.MINE, Map.of());
        var alarm = new io.safegrid.model.alarm.Alarm("a1", "k", io.safegrid.model.finding.FindingKind.THRESHOLD, Level.RED,
                Level.RED, io.safegrid.model.alarm.AlarmState.RAISED, false, "ch4-1", Fixture.MINE, "r", "m", 1, 1, 1, 1,
                java.time.Instant.now(), java.time.Instant.now(), java.time.Instant.now(), null);
        var ev = new AlarmEvent(1, AlarmEvent.Type.RAISED, "a1", java.time.Instant.now(), "system", null, alarm);
        assertThatThrownBy(() -> n.send(u, hook, null, alarm, ev)).isInstanceOf(IOException.class).hasMessageContaining("500");
    }
}
