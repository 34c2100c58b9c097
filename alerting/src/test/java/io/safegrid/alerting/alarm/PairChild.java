package io.safegrid.alerting.alarm;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.Samples;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.AlarmsConfig;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.EscalationPolicy;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.testing.Deployments;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs in a child JVM: one alerting node of an active/standby pair on a PostgreSQL alarm store
 * (args: store URL, webhook URL, name). Says LEADING once it holds the store; then each line on
 * stdin is a device number whose yellow methane finding it takes, answering OK n once it is committed.
 */
public final class PairChild {
    /** Acknowledgement timeout of every level: short, so escalations fall due soon after a kill. */
    static final Duration ACK = Duration.ofSeconds(6);

    public static void main(String[] args) throws Exception {
        ChannelDef hook = new ChannelDef("duty-hook", "webhook", Map.of("url", args[1], "timeout", "10s"));
        Deployment d = Samples.county(List.of(hook), List.of());
        for (String u : List.of("kzs", "cun", "zhen", "mtj", "xian")) {
            d = Samples.withContacts(d, u, Map.of("duty-hook", u));
        }
        Map<Level, Duration> ack = new HashMap<>(d.escalation().ackTimeout());
        ack.replaceAll((l, t) -> ACK);
        d = Deployments.from(d).escalation(new EscalationPolicy(d.escalation().notifyFirst(), ack))
                .alarms(new AlarmsConfig(args[0], "safegrid", "", true)).build();
        AlarmService s = new AlarmService(ConfigSource.of(d), new InProcessBus(), new SimpleMeterRegistry(),
                Files.createTempDirectory("safegrid-pair-" + args[2]), Clock.system(Fixture.CHINA),
                ChannelNotifier.defaults(Duration.ofSeconds(5), Clock.systemUTC()));
        s.start();
        System.out.println("LEADING " + args[2]);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            int n = Integer.parseInt(line.trim());
            s.onFinding(new Finding("f-" + n + "-" + args[2], FindingKind.THRESHOLD, Level.YELLOW, Condition.ACTIVE,
                    "dev-" + n, Fixture.MINE, "methane", null, 1.1, 1.0, Instant.now(), "甲烷 1.1%", null,
                    Map.of("metric", "ch4")));
            System.out.println("OK " + n);
            System.out.flush();
        }
    }
}
