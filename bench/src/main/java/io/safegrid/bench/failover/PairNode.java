package io.safegrid.bench.failover;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.alarm.AlarmService;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.AlarmsConfig;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.EscalationPolicy;
import io.safegrid.config.Roster;
import io.safegrid.config.UserDef;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.testing.Deployments;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One alerting node of an active/standby pair, in its own JVM (args: alarm store URL, gateway URL,
 * name): a county of five grid levels, one person on duty at each, all told by webhook, every
 * acknowledgement timeout {@link #ACK}. Prints LEADING once it holds the store; each stdin line is a
 * device number whose yellow finding goes on its bus, answered OK n once its alarm is committed.
 */
public final class PairNode {
    static final Duration ACK = Duration.ofSeconds(6);
    static final List<String> PEOPLE = List.of("mine", "village", "town", "bureau", "county");
    static final GridPath MINE = GridPath.parse("px/town/village/mine");

    public static void main(String[] args) throws Exception {
        InProcessBus bus = new InProcessBus();
        AlarmService s = new AlarmService(ConfigSource.of(county(args[0], args[1])), bus,
                new SimpleMeterRegistry(), Files.createTempDirectory("safegrid-pair-" + args[2]),
                Clock.system(ZoneId.of("Asia/Shanghai")), ChannelNotifier.defaults(Duration.ofSeconds(5), Clock.systemUTC()));
        s.start();
        // a finding is confirmed once its alarm is committed: alarm events are published after the commit
        bus.subscribe(Topic.ALARMS, "bench-confirm", (k, e) -> {
            if (e.type() == AlarmEvent.Type.RAISED && e.alarm().sourceId().startsWith("dev-")) {
                synchronized (System.out) {
                    System.out.println("OK " + e.alarm().sourceId().substring(4));
                    System.out.flush();
                }
            }
        });
        System.out.println("LEADING " + args[2]);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            int n = Integer.parseInt(line.trim());
            bus.publish(Topic.FINDINGS, "dev-" + n, new Finding("f-" + n + "-" + args[2], FindingKind.THRESHOLD, Level.YELLOW,
                    Condition.ACTIVE, "dev-" + n, MINE, "methane", null, 1.1, 1.0, Instant.now(), "甲烷 1.1%", null,
                    Map.of("metric", "ch4")));
        }
    }

    static Deployment county(String storeUrl, String gatewayUrl) {
        List<GridPath> levels = List.of(GridPath.parse("px"), GridPath.parse("px/bureau"), GridPath.parse("px/town"),
                GridPath.parse("px/town/village"), MINE);
        List<GridKind> kinds = List.of(GridKind.COUNTY, GridKind.DEPARTMENT, GridKind.TOWNSHIP, GridKind.VILLAGE,
                GridKind.ENTERPRISE);
        List<GridNode> nodes = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            EnterpriseProfile p = kinds.get(i) == GridKind.ENTERPRISE
                    ? new EnterpriseProfile("coal-mine", null, null, List.of(levels.get(1)), null) : null;
            nodes.add(new GridNode(levels.get(i), kinds.get(i), levels.get(i).toString(), p));
        }
        List<String> people = List.of("county", "bureau", "town", "village", "mine");
        List<Roster> rosters = new ArrayList<>();
        List<UserDef> users = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            String who = people.get(i);
            rosters.add(new Roster(levels.get(i), List.of(new Roster.Shift("all-day", LocalTime.MIDNIGHT, LocalTime.MIDNIGHT,
                    Set.of(), List.of(who))), null));
            users.add(new UserDef(who, who, null, "township-officer", levels.get(0), Map.of("hook", who)));
        }
        EscalationPolicy defaults = EscalationPolicy.defaults();
        Map<Level, Duration> ack = new EnumMap<>(Level.class);
        defaults.ackTimeout().keySet().forEach(l -> ack.put(l, ACK));
        return Deployments.builder().name("failover").grid(new Grid(nodes)).rosters(rosters).users(users)
                .channels(List.of(new ChannelDef("hook", "webhook", Map.of("url", gatewayUrl, "timeout", "2s"))))
                .escalation(new EscalationPolicy(defaults.notifyFirst(), ack))
                .alarms(new AlarmsConfig(storeUrl, "safegrid", "", true)).build();
    }
}
