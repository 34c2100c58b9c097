package io.safegrid.bench;

import io.safegrid.testing.Deployments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.analytics.rules.FindingSink;
import io.safegrid.analytics.rules.RuleEngine;
import io.safegrid.config.Deployment;
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
import io.safegrid.model.reading.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The sensor-rule hot path on one thread: 1024 methane sensors, readings in the normal range (the
 * common case: nothing changes, nothing is allocated). {@code threshold} runs one THRESHOLD rule per
 * sensor; {@code mixed} adds SENSOR_FAULT (with stuckFor) and RATE_OF_CHANGE. Score = readings/s;
 * rule checks/s = score x rules. Run with {@code main} (1 fork, 2x2 s warm-up, 3x2 s measured).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RuleEvaluationBenchmark {
    static final int SENSORS = 1024;

    @Param({"threshold", "mixed"})
    public String rules;

    private RuleEngine engine;
    private Reading[] readings;
    private FindingSink sink;

    @Setup
    public void setup(Blackhole bh) {
        GridPath mine = GridPath.parse("puxian/keliqiao/coalmine-7");
        Grid grid = new Grid(List.of(new GridNode(GridPath.of("puxian"), GridKind.COUNTY, "county", null),
                new GridNode(GridPath.parse("puxian/keliqiao"), GridKind.TOWNSHIP, "town", null),
                new GridNode(mine, GridKind.ENTERPRISE, "mine", null)));
        List<Sensor> sensors = new ArrayList<>();
        readings = new Reading[SENSORS * 4];
        Instant t0 = Instant.parse("2026-11-29T00:00:00Z");
        for (int i = 0; i < SENSORS; i++) {
            sensors.add(new Sensor("ch4-" + i, "T1", mine, "ch4", "%", null, "coal-working-face", Protocol.MQTT));
        }
        for (int k = 0; k < readings.length; k++) {
            int i = k % SENSORS;
            double v = 0.2 + 0.01 * ((k / SENSORS + i) % 7); // 0.2..0.26: normal air, changing slowly
            readings[k] = Reading.sample("ch4-" + i, mine, "ch4", v, t0.plusSeconds(10L * (k / SENSORS)));
        }
        List<RuleDef> defs = new ArrayList<>();
        defs.add(new RuleDef("methane", RuleDef.Type.THRESHOLD, "ch4", List.of(),
                Map.of(Level.YELLOW, 0.75, Level.ORANGE, 1.0, Level.RED, 1.5), null, 0.7, Duration.ofSeconds(10), null,
                null, null, null, null, null, null));
        if (rules.equals("mixed")) {
            defs.add(new RuleDef("fault", RuleDef.Type.SENSOR_FAULT, "ch4", List.of(), null, null, null, null, null,
                    Duration.ofHours(1), null, null, null, null, null));
            defs.add(new RuleDef("rate", RuleDef.Type.RATE_OF_CHANGE, "ch4", List.of(), null, null, null, null, 0.5,
                    null, null, null, null, null, null));
        }
        Deployment d = Deployments.builder().name("bench")
                .metric(new MetricDef("ch4", "甲烷", "Methane", "%", new ValueRange(0, 40), null)).grid(grid)
                .sensors(sensors).rules(defs).build();
        engine = new RuleEngine(new SimpleMeterRegistry());
        engine.reload(d);
        sink = bh::consume;
    }

    /** Time stamps repeat after each pass; the rules ignore that (rate/stuck skip non-increasing time). */
    @Benchmark
    @OperationsPerInvocation(SENSORS * 4)
    public void evaluate() throws InterruptedException {
        for (Reading r : readings) {
            engine.evaluate(r, sink);
        }
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(RuleEvaluationBenchmark.class.getSimpleName()).build()).run();
    }
}
