package io.safegrid.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.Deployment;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.Reading;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A running ingest on loopback with a bus whose readings and findings the test can see. */
public final class IngestFixture implements AutoCloseable {
    public final InProcessBus bus;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final TestDeployments.MutableConfig config;
    public final SensorIngest ingest;
    public final List<Reading> readings = new CopyOnWriteArrayList<>();
    public final List<Finding> findings = new CopyOnWriteArrayList<>();

    public IngestFixture() { this(TestDeployments.deployment(), new InProcessBus(), Clock.systemUTC()); }

    public IngestFixture(Deployment d, InProcessBus bus, Clock clock) {
        this.bus = bus;
        this.config = new TestDeployments.MutableConfig(d);
        bus.subscribe(Topic.READINGS, "test", (k, r) -> readings.add(r));
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        this.ingest = new SensorIngest(config, bus, registry, clock);
        ingest.start();
    }

    /** Value of {@code safegrid.ingest.rejected{protocol,reason}}. */
    public double rejected(String protocol, String reason) {
        Counter c = registry.find("safegrid.ingest.rejected").tag("protocol", protocol).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    public double accepted(String protocol) {
        Counter c = registry.find("safegrid.ingest.readings").tag("protocol", protocol).counter();
        return c == null ? 0 : c.count();
    }

    public long published() {
        return bus.stats().stream().filter(s -> s.topic().equals("readings")).findFirst().orElseThrow().published();
    }

    @Override
    public void close() {
        ingest.close();
        bus.close();
    }
}
