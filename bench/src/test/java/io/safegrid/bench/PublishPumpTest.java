package io.safegrid.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bench.kafkaload.PublishPump;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.model.bus.Topic;
import io.safegrid.node.load.LoadFleet;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bench's MQTT pump against real ingest over TCP: logged in, every PUBLISH taken, PUBACKs matched, order kept. */
class PublishPumpTest {

    @Test
    void everyReadingArrivesOnceInItsDevicesOrderAndQos1WaitsForItsPubacks() throws Exception {
        LoadFleet fleet = LoadFleet.of(3);
        AtomicLong seen = new AtomicLong();
        Map<String, Long> last = new ConcurrentHashMap<>();
        java.util.List<String> disorder = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus();
             SensorIngest ingest = new SensorIngest(ConfigSource.of(IngestNode.deployment(fleet)), bus, new SimpleMeterRegistry(),
                     Clock.systemUTC())) {
            bus.subscribe(Topic.READINGS, "test", (k, r) -> {
                long seq = (long) r.value();
                Long before = last.put(r.deviceId(), seq);
                if (before != null && before >= seq) {
                    disorder.add(r.deviceId() + ": " + seq + " after " + before);
                }
                seen.incrementAndGet();
            });
            ingest.start();
            try (PublishPump pump = PublishPump.connect("127.0.0.1", ingest.mqttPort(), fleet, 5)) {
                pump.run(0, 2_000, TimeUnit.MILLISECONDS.toNanos(300), 0);
                long qos0 = pump.sent();
                pump.run(1, 2_000, TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(5));

                assertThat(qos0).isBetween(400L, 700L);
                assertThat(pump.acked()).isEqualTo(pump.sent() - qos0).isGreaterThan(400);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (seen.get() < pump.sent() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(seen.get()).isEqualTo(pump.sent());
                assertThat(last).containsOnlyKeys(fleet.deviceId(0), fleet.deviceId(1), fleet.deviceId(2));
                assertThat(disorder).isEmpty();
            }
        }
    }
}
