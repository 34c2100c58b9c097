package io.safegrid.analytics.rules;

import io.safegrid.testing.Deployments;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.MetricDef;
import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A small coal mine: a methane sensor at the working face, another in the return airway, a fan. */
final class RuleFixtures {
    static final GridPath MINE = GridPath.parse("puxian/keliqiao/village-3/coalmine-7");
    static final Sensor CH4 = new Sensor("ch4-t1", "T1 甲烷", MINE, "ch4", "%", null, "coal-working-face", Protocol.MQTT);
    static final Sensor FAN = new Sensor("fan-1", "主扇", MINE, "fan", null, new ValueRange(0, 1), "fan", Protocol.MQTT);

    static final RuleDef METHANE = new RuleDef("methane-working-face", RuleDef.Type.THRESHOLD, "ch4",
            List.of("coal-working-face"), Map.of(Level.YELLOW, 0.75, Level.ORANGE, 1.0, Level.RED, 1.5), null, 0.7,
            null, null, null, null, null, null, null, "AQ 1029 T1");

    private RuleFixtures() {
    }

    static RuleDef rule(String id, RuleDef.Type type, Map<Level, Double> above, Double clear, Duration minDuration,
                        Double rate, Duration stuck, Duration horizon, String other, Double otherValue, Level level) {
        return new RuleDef(id, type, "ch4", List.of(), above, null, clear, minDuration, rate, stuck, horizon, other,
                otherValue, level, null);
    }

    static Deployment deployment(List<RuleDef> rules) {
        Grid grid = new Grid(List.of(
                new GridNode(GridPath.of("puxian"), GridKind.COUNTY, "蒲县", null),
                new GridNode(GridPath.parse("puxian/keliqiao"), GridKind.TOWNSHIP, "克城镇", null),
                new GridNode(GridPath.parse("puxian/keliqiao/village-3"), GridKind.VILLAGE, "三村", null),
                new GridNode(MINE, GridKind.ENTERPRISE, "七号煤矿", null)));
        return Deployments.builder()
                .metric(new MetricDef("ch4", "甲烷", "Methane", "%", new ValueRange(0, 40), null))
                .metric(new MetricDef("fan", "风机", "Fan", null, new ValueRange(0, 1), null))
                .deviceClass(new DeviceClassDef("coal-working-face", "T1", Duration.ofMinutes(2)))
                .grid(grid).sensor(CH4).sensor(FAN).rules(rules).build();
    }
}
