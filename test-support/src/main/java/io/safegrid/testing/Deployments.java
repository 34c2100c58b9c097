package io.safegrid.testing;

import io.safegrid.config.AcceptanceConfig;
import io.safegrid.config.BusConfig;
import io.safegrid.config.CascadeConfig;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.EscalationPolicy;
import io.safegrid.config.Gb28181Config;
import io.safegrid.config.AlarmsConfig;
import io.safegrid.config.HazardsConfig;
import io.safegrid.config.AssessmentConfig;
import io.safegrid.config.ConsoleConfig;
import io.safegrid.config.MetricDef;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.RecordConfig;
import io.safegrid.config.Roster;
import io.safegrid.config.RuleDef;
import io.safegrid.config.UserDef;
import io.safegrid.config.VideoConfig;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.Grid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deployments built in code, for tests and benchmarks: every section starts empty or at its default
 * (as a config file without it), and a test names only what it is about:
 * <pre>Deployments.builder().node(node).sensor(s).access(a).build()</pre>
 * or changes one part of another deployment: {@code Deployments.from(d).users(users).build()}.
 */
public final class Deployments {
    private Deployments() {
    }

    public static Builder builder() { return new Builder(); }

    /** A builder holding every part of {@code d}. */
    public static Builder from(Deployment d) {
        Builder b = new Builder().name(d.name()).node(d.node()).metrics(d.metrics()).deviceClasses(d.deviceClasses())
                .grid(d.grid()).sensors(d.sensors()).access(d.access()).cameras(d.cameras()).rules(d.rules())
                .escalation(d.escalation()).rosters(d.rosters()).channels(d.channels()).users(d.users()).record(d.record())
                .source(d.source()).cascade(d.cascade()).bus(d.bus()).acceptance(d.acceptance()).video(d.video());
        return b.gb28181(d.gb28181()).hazards(d.hazards()).alarms(d.alarms()).assessment(d.assessment()).console(d.console());
    }

    public static final class Builder {
        private String name = "test";
        private NodeSettings node = NodeSettings.defaults();
        private final Map<String, MetricDef> metrics = new LinkedHashMap<>();
        private final Map<String, DeviceClassDef> deviceClasses = new LinkedHashMap<>();
        private Grid grid = new Grid(List.of());
        private final List<Sensor> sensors = new ArrayList<>();
        private final Map<String, DeviceAccess> access = new LinkedHashMap<>();
        private final List<Camera> cameras = new ArrayList<>();
        private final List<RuleDef> rules = new ArrayList<>();
        private EscalationPolicy escalation = EscalationPolicy.defaults();
        private final List<Roster> rosters = new ArrayList<>();
        private final List<ChannelDef> channels = new ArrayList<>();
        private final List<UserDef> users = new ArrayList<>();
        private RecordConfig record = RecordConfig.defaults();
        private Path source;
        private CascadeConfig cascade = CascadeConfig.none();
        private BusConfig bus = BusConfig.defaults();
        private AcceptanceConfig acceptance = AcceptanceConfig.defaults();
        private VideoConfig video = VideoConfig.defaults();
        private Gb28181Config gb28181 = Gb28181Config.none();
        private HazardsConfig hazards = HazardsConfig.defaults();
        private AlarmsConfig alarms = AlarmsConfig.defaults();
        private AssessmentConfig assessment = AssessmentConfig.defaults();
        private ConsoleConfig console = ConsoleConfig.defaults();

        private Builder() {
        }

        public Builder name(String n) { this.name = n; return this; }

        public Builder node(NodeSettings n) { this.node = n; return this; }

        public Builder metric(MetricDef m) { metrics.put(m.id(), m); return this; }

        public Builder metrics(Map<String, MetricDef> m) { metrics.clear(); metrics.putAll(m); return this; }

        public Builder deviceClass(DeviceClassDef c) { deviceClasses.put(c.id(), c); return this; }

        public Builder deviceClasses(Map<String, DeviceClassDef> c) { deviceClasses.clear(); deviceClasses.putAll(c); return this; }

        public Builder grid(Grid g) { this.grid = g; return this; }

        public Builder sensor(Sensor s) { sensors.add(s); return this; }

        public Builder sensors(List<Sensor> s) { sensors.clear(); sensors.addAll(s); return this; }

        public Builder access(DeviceAccess a) { access.put(a.deviceId(), a); return this; }

        public Builder access(Map<String, DeviceAccess> a) { access.clear(); access.putAll(a); return this; }

        public Builder camera(Camera c) { cameras.add(c); return this; }

        public Builder cameras(List<Camera> c) { cameras.clear(); cameras.addAll(c); return this; }

        public Builder rule(RuleDef r) { rules.add(r); return this; }

        public Builder rules(List<RuleDef> r) { rules.clear(); rules.addAll(r); return this; }

        public Builder escalation(EscalationPolicy e) { this.escalation = e; return this; }

        public Builder roster(Roster r) { rosters.add(r); return this; }

        public Builder rosters(List<Roster> r) { rosters.clear(); rosters.addAll(r); return this; }

        public Builder channel(ChannelDef c) { channels.add(c); return this; }

        public Builder channels(List<ChannelDef> c) { channels.clear(); channels.addAll(c); return this; }

        public Builder user(UserDef u) { users.add(u); return this; }

        public Builder users(List<UserDef> u) { users.clear(); users.addAll(u); return this; }

        public Builder record(RecordConfig r) { this.record = r; return this; }

        public Builder source(Path p) { this.source = p; return this; }

        public Builder cascade(CascadeConfig c) { this.cascade = c; return this; }

        public Builder bus(BusConfig b) { this.bus = b; return this; }

        public Builder acceptance(AcceptanceConfig a) { this.acceptance = a; return this; }

        public Builder video(VideoConfig v) { this.video = v; return this; }

        public Builder gb28181(Gb28181Config g) { this.gb28181 = g; return this; }

        public Builder hazards(HazardsConfig h) { this.hazards = h; return this; }

        public Builder alarms(AlarmsConfig a) { this.alarms = a; return this; }

        public Builder assessment(AssessmentConfig a) { this.assessment = a; return this; }

        public Builder console(ConsoleConfig c) { this.console = c; return this; }

        public Deployment build() {
            return new Deployment(name, node, metrics, deviceClasses, grid, sensors, access, cameras, rules, escalation,
                    rosters, channels, users, record, source, cascade, bus, acceptance, video, gb28181, hazards,
                    alarms, assessment, console);
        }
    }
}
