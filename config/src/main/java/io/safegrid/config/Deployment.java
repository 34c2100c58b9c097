package io.safegrid.config;

import io.safegrid.model.device.Camera;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.Grid;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One validated deployment description: everything a node needs to know about its county.
 * Immutable; a reload produces a new one.
 *
 * @param source the file it came from (null when built in code)
 * @param bus        where the stages meet ({@code bus:}; in-process by default)
 * @param acceptance what ingest accepts and how it journals it ({@code acceptance:})
 * @param video      the object detector and vendors' models ({@code video:}; NanoDet by default)
 * @param gb28181    the GB/T 28181 SIP server and its devices ({@code gb28181:}; off by default)
 * @param console    the operators' screen: map boundaries and tiles, video wall limits ({@code console:})
 */
public record Deployment(String name, NodeSettings node, Map<String, MetricDef> metrics,
                         Map<String, DeviceClassDef> deviceClasses, Grid grid, List<Sensor> sensors,
                         Map<String, DeviceAccess> access, List<Camera> cameras, List<RuleDef> rules,
                         EscalationPolicy escalation, List<Roster> rosters, List<ChannelDef> channels,
                         List<UserDef> users, RecordConfig record, Path source, CascadeConfig cascade,
                         BusConfig bus, AcceptanceConfig acceptance, VideoConfig video, Gb28181Config gb28181,
                         HazardsConfig hazards, AlarmsConfig alarms,
                         AssessmentConfig assessment, ConsoleConfig console) {

    public Deployment {
        record = record == null ? RecordConfig.defaults() : record;
        cascade = cascade == null ? CascadeConfig.none() : cascade;
        bus = bus == null ? BusConfig.defaults() : bus;
        acceptance = acceptance == null ? AcceptanceConfig.defaults() : acceptance;
        video = video == null ? VideoConfig.defaults() : video;
        gb28181 = gb28181 == null ? Gb28181Config.none() : gb28181;
        hazards = hazards == null ? HazardsConfig.defaults() : hazards;
        alarms = alarms == null ? AlarmsConfig.defaults() : alarms;
        assessment = assessment == null ? AssessmentConfig.defaults() : assessment;
        console = console == null ? ConsoleConfig.defaults() : console;
        metrics = Map.copyOf(metrics);
        deviceClasses = Map.copyOf(deviceClasses);
        sensors = List.copyOf(sensors);
        access = Map.copyOf(access);
        cameras = List.copyOf(cameras);
        rules = List.copyOf(rules);
        rosters = List.copyOf(rosters);
        channels = List.copyOf(channels);
        users = List.copyOf(users);
    }

    public Optional<Sensor> sensor(String id) {
        return sensors.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<Camera> camera(String id) {
        return cameras.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public Map<String, Sensor> sensorsById() {
        return sensors.stream().collect(Collectors.toUnmodifiableMap(Sensor::id, Function.identity()));
    }

    /** Credentials and protocol bindings of a device; empty when it has none. */
    public Optional<DeviceAccess> access(String deviceId) {
        return Optional.ofNullable(access.get(deviceId));
    }

    /** The sensors that report through one HJ 212 data logger (MN). */
    public List<Sensor> sensorsOfMn(String mn) {
        return sensors.stream()
                .filter(s -> access(s.id()).map(a -> a.hj212() != null && a.hj212().mn().equals(mn)).orElse(false))
                .toList();
    }
}
