package io.safegrid.alerting.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.alarm.AlarmService;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.Level;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Runs in a child JVM: raises a blue alarm whose one notification goes to a webhook that never answers; waits for kill -9. */
public final class SendCrashChild {
    public static void main(String[] args) throws Exception {
        InProcessBus bus = new InProcessBus();
        AlarmService s = new AlarmService(ConfigSource.of(KillNineSendTest.county(args[1])), bus,
                new SimpleMeterRegistry(), Path.of(args[0]), Clock.system(Fixture.CHINA),
                ChannelNotifier.defaults(Duration.ofSeconds(60), Clock.systemUTC()));
        s.start();
        bus.publish(io.safegrid.model.bus.Topic.FINDINGS, "ch4-1", new Finding("f1", FindingKind.THRESHOLD, Level.BLUE, Condition.ACTIVE, "ch4-1", Fixture.MINE, "methane",
                null, 0.6, 0.5, Instant.now(), "甲烷 0.6%", null, Map.of()));
        while (s.list(io.safegrid.model.alarm.AlarmQuery.all()).total() == 0) {
            Thread.sleep(20);
        }
        System.out.println("RAISED " + s.list(io.safegrid.model.alarm.AlarmQuery.all()).items().get(0).id());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
