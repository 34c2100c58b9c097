package io.safegrid.node.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import io.safegrid.testing.Deployments;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The field simulator against a real ingest: every sensor's protocol client gets its readings onto the bus. */
class SensorSimulatorTest {
    private static final GridPath MINE = GridPath.parse("puxian/keliqiao/coalmine-7");

    private static Sensor sensor(String id, String metric, Protocol p) {
        return new Sensor(id, id, MINE, metric, "", new ValueRange(0, 100), "field", p);
    }

    @Test
    void mqttHttpAndHj212SensorsAllReachTheBus() {
        NodeSettings node = new NodeSettings("t", NodeSettings.ALL_ROLES, "127.0.0.1", -1, 0, 0, 0, -1, Path.of("target"),
                64 * 1024, 1000, null);
        Deployment d = Deployments.builder().node(node)
                .deviceClass(new DeviceClassDef("field", "", Duration.ofMinutes(5)))
                .sensor(sensor("ch4-1", "methane", Protocol.MQTT)).access(new DeviceAccess("ch4-1", "s1", null))
                .sensor(sensor("ch4-2", "methane", Protocol.MQTT)).access(new DeviceAccess("ch4-2", "s2", null))
                .sensor(sensor("co-1", "co", Protocol.HTTP)).access(new DeviceAccess("co-1", "s3", null))
                .sensor(sensor("so2-1", "so2", Protocol.HJ212))
                .access(new DeviceAccess("so2-1", "x", new DeviceAccess.Hj212Binding("MN-1", "123456", "a21026")))
                .sensor(sensor("co-2", "co", Protocol.HJ212))
                .access(new DeviceAccess("co-2", "x", new DeviceAccess.Hj212Binding("MN-1", "123456", "a21005")))
                // the scenario's silent sensor: last in the list, quiet only after 30 s
                .sensor(sensor("spare", "co", Protocol.HTTP)).access(new DeviceAccess("spare", "s4", null))
                .build();
        Set<String> reported = ConcurrentHashMap.newKeySet();
        try (InProcessBus bus = new InProcessBus();
             SensorIngest ingest = new SensorIngest(ConfigSource.of(d), bus, new SimpleMeterRegistry(), Clock.systemUTC())) {
            bus.subscribe(Topic.READINGS, "test", (k, r) -> reported.add(r.deviceId()));
            ingest.start();
            try (SensorSimulator sim = new SensorSimulator(d, "127.0.0.1", ingest.mqttPort(), ingest.hj212Port(),
                    ingest.httpPort(), 200).start()) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> reported.containsAll(List.of("ch4-1", "ch4-2", "co-1", "so2-1", "co-2", "spare")));
                assertThat(sim.failed()).isZero();
                assertThat(sim.sent()).isGreaterThanOrEqualTo(6);
            }
        }
    }

    @Test
    void aNodeThatIsNotThereIsRetriedEveryPeriodAndCountedAsFailed() throws Exception {
        Deployment d = Deployments.builder()
                .sensor(sensor("ch4-1", "methane", Protocol.MQTT)).access(new DeviceAccess("ch4-1", "s1", null))
                .sensor(sensor("so2-1", "so2", Protocol.HJ212))
                .access(new DeviceAccess("so2-1", "x", new DeviceAccess.Hj212Binding("MN-1", "123456", "a21026")))
                .build();
        // nothing listens there, and no other suite's bind(0) can take it while the simulator tries
        int closed = io.safegrid.testing.FreePorts.outsideEphemeralRange();
        try (SensorSimulator sim = new SensorSimulator(d, "127.0.0.1", closed, closed, closed, 100).start()) {
            // each period tries to connect again (MQTT per sensor, HJ 212 per logger) and counts the failure
            await().atMost(Duration.ofSeconds(30)).until(() -> sim.failed() >= 6);
        }
    }
}
