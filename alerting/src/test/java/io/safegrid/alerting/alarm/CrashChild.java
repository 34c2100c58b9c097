package io.safegrid.alerting.alarm;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.notify.LogNotifier;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Runs in a child JVM: raises and acknowledges an alarm, says so, and waits to be killed with -9. */
public final class CrashChild {
    public static void main(String[] args) throws Exception {
        InProcessBus bus = new InProcessBus();
        AlarmService s = new AlarmService(ConfigSource.of(Fixture.deployment(List.of(), List.of(), List.of())), bus,
                new SimpleMeterRegistry(), Path.of(args[0]), Clock.system(Fixture.CHINA), new LogNotifier());
        s.start();
        s.onFinding(new Finding("f1", FindingKind.THRESHOLD, Level.RED, Condition.ACTIVE, "ch4-1", Fixture.MINE, "methane",
                null, 1.8, 1.5, Instant.now(), "甲烷 1.8% 超限", null, Map.of()));
        Alarm a = s.list(io.safegrid.model.alarm.AlarmQuery.all()).items().get(0);
        s.acknowledge(a.id(), "xian", "已电话通知矿方撤人");
        System.out.println("READY " + a.id());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
