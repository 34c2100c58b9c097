package io.safegrid.node.load;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Short runs of every protocol against a real ingest: every reading sent is acknowledged and on the bus once. */
class LoadGeneratorTest {
    private final LoadFleet fleet = LoadFleet.of(3);
    private final InProcessBus bus = new InProcessBus();
    private final Set<Double> onBus = ConcurrentHashMap.newKeySet();
    private final AtomicReference<LoadGenerator> observing = new AtomicReference<>();
    private final SensorIngest ingest;

    LoadGeneratorTest() {
        NodeSettings node = new NodeSettings("t", NodeSettings.ALL_ROLES, "127.0.0.1", -1, 0, 0, 0, -1, Path.of("target"),
                64 * 1024, 0, null);
        Deployment d = Deployments.builder().name("t").node(node)
                .deviceClass(new DeviceClassDef("load", "", Duration.ofMinutes(5))).sensors(fleet.sensors())
                .access(fleet.access()).build();
        bus.subscribe(Topic.READINGS, "t", (k, r) -> {
            onBus.add(r.value());
            LoadGenerator g = observing.get();
            if (g != null) {
                g.observe(r.value());
            }
        });
        ingest = new SensorIngest(ConfigSource.of(d), bus, new SimpleMeterRegistry(), Clock.systemUTC());
        ingest.start();
    }

    @AfterEach
    void stop() {
        ingest.close();
        bus.close();
    }

    private LoadResult acked(LoadGenerator.Kind kind, int port, int batch) throws Exception {
        return LoadGenerator.acked(new LoadGenerator.Options(kind, "127.0.0.1", port, fleet, 300, Duration.ofSeconds(2), batch, 1)).run();
    }

    @Test
    void everyProtocolGetsEveryReadingAcknowledged() throws Exception {
        for (LoadResult r : List.of(acked(LoadGenerator.Kind.MQTT, ingest.mqttPort(), 1),
                acked(LoadGenerator.Kind.HJ212, ingest.hj212Port(), 1),
                acked(LoadGenerator.Kind.HTTP, ingest.httpPort(), 10))) {
            // 300/s for 2 s: at most 600 (a tick's slack), and the shared CI box may starve the sender for a while
            assertThat(r.sent()).as(r.summary()).isBetween(100L, 610L);
            assertThat(r.completed()).as(r.summary()).isEqualTo(r.sent());
            assertThat(r.errors()).isZero();
            assertThat(r.latencyMicros().getTotalCount()).isEqualTo(r.sent());
        }
    }

    @Test
    void latencyToTheBusCountsEachReadingOnce() throws Exception {
        LoadGenerator g = LoadGenerator.observedOnBus(new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1",
                ingest.mqttPort(), fleet, 500, Duration.ofSeconds(1), 5, 0));
        observing.set(g);
        LoadResult r = g.run();
        assertThat(r.completed()).isEqualTo(r.sent()).isPositive();
        assertThat(onBus).hasSize((int) r.sent());
    }

    @Test
    void commandLineParses() {
        LoadCommand c = new LoadCommand();
        new CommandLine(c).parseArgs("hj212", "--target", "10.0.0.5", "--port", "9212", "--devices", "50", "--rate", "2000",
                "--duration", "30s", "--batch", "4");
        assertThat(c.protocol).isEqualTo("hj212");
        assertThat(c.port).isEqualTo(9212);
        assertThat(c.devices).isEqualTo(50);
        assertThat(LoadCommand.parseDuration(c.duration)).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoadCommand.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    }
}
