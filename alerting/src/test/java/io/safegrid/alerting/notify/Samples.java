package io.safegrid.alerting.notify;

import io.safegrid.testing.Deployments;
import io.safegrid.alerting.Fixture;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.MetricDef;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.UserDef;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.finding.FindingKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The test county with a methane catalogue entry and a console URL, and one orange methane alarm in it. */
public final class Samples {
    static final Instant AT = Instant.parse("2026-11-29T02:05:09Z"); // 10:05:09 in Beijing

    private Samples() {
    }

    public static Deployment county(List<ChannelDef> channels, List<UserDef> users) {
        Deployment d = Fixture.deployment(List.of(), channels, users);
        NodeSettings n = NodeSettings.defaults();
        NodeSettings node = new NodeSettings(n.nodeId(), n.roles(), n.bindAddress(), n.httpPort(), n.mqttPort(), n.hj212Port(),
                n.ingestHttpPort(), n.videoPushPort(), n.dataDir(), n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(),
                "https://safegrid.puxian.example/");
        return Deployments.from(d).node(node)
                .metrics(Map.of("ch4", new MetricDef("ch4", "甲烷", "methane", "%", new ValueRange(0, 40), null))).build();
    }

    /** The county with {@code user}'s contacts replaced. */
    public static Deployment withContacts(Deployment d, String user, Map<String, String> contacts) {
        List<UserDef> users = new java.util.ArrayList<>(d.users());
        UserDef old = users.stream().filter(u -> u.name().equals(user)).findFirst().orElseThrow();
        users.replaceAll(u -> u == old ? new UserDef(u.name(), u.displayName(), null, u.role(), u.scope(), contacts) : u);
        return Deployments.from(d).users(users).build();
    }

    static Alarm alarm() {
        return new Alarm("a-42", "ch4-1|methane", FindingKind.THRESHOLD, Level.ORANGE, Level.ORANGE, AlarmState.RAISED, false,
                "ch4-1", Fixture.MINE, "methane", "甲烷 1.2% 超限", 1.2, 1.2, 1.0, 1, AT, AT, AT, null);
    }

    static Message message() {
        Alarm a = alarm();
        return MessageRenderer.message(county(List.of(), List.of()), a,
                new AlarmEvent(7, AlarmEvent.Type.RAISED, a.id(), AT, "system", null, a), Fixture.MINE.toString());
    }

    static Notification to(ChannelDef ch, String address) {
        UserDef u = new UserDef("kzs", "矿调度室", null, "enterprise-operator", Fixture.MINE,
                address == null ? Map.of() : Map.of(ch.id(), address));
        return new Notification("a-42/7/kzs/" + ch.id(), u, ch, address, message(), 1);
    }
}
