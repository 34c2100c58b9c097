package io.safegrid.bench.peers;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.IngestLimits;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.node.load.LoadFleet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * SafeGrid's ingest as a node runs it: device login and topic checks, JSON parsed into readings, each
 * put on the in-process bus, whose one subscriber counts them. Connection limits are raised to let the
 * whole fleet in; everything else is the default.
 */
final class SafeGridTarget implements Target {
    private final LoadFleet fleet;
    private InProcessBus bus;
    private SensorIngest ingest;

    SafeGridTarget(LoadFleet fleet) { this.fleet = fleet; }

    @Override
    public String name() { return "SafeGrid"; }

    @Override
    public void start(int port, ReadingSink sink) throws Exception {
        IngestLimits d = IngestLimits.defaults();
        IngestLimits limits = new IngestLimits(Math.max(d.maxConnectionsPerListener(), fleet.devices() + 100),
                Math.max(d.maxUnauthenticatedPerListener(), 4096), Math.max(d.maxUnauthenticatedPerAddress(), 1024), 256,
                d.hj212LoginTimeout(), d.mqttConnectTimeout(), d.httpRequestTimeout(), d.writeBufferHighBytes(),
                d.maxQueuedWriteBytes(), d.maxInflightBodyBytes(), d.authFailuresPerMinute(),
                d.hj212BadPasswordsPerConnection(), d.maxVideoPixels());
        NodeSettings node = new NodeSettings("bench", Set.of("ingest"), "127.0.0.1", -1, port, -1, -1, -1,
                Path.of("target"), 256 * 1024, 0, null, NodeSettings.DEFAULT_MAX_SNAPSHOT_BYTES, limits);
        Deployment dep = io.safegrid.testing.Deployments.builder().name("bench").node(node)
                .deviceClass(new DeviceClassDef("load", "load generator", Duration.ofMinutes(5)))
                .sensors(fleet.sensors()).access(fleet.access()).build();
        bus = new InProcessBus();
        bus.subscribe(Topic.READINGS, "bench", (k, r) -> sink.accepted());
        ingest = new SensorIngest(ConfigSource.of(dep), bus, new SimpleMeterRegistry(), Clock.systemUTC());
        ingest.start();
    }

    @Override
    public void close() throws Exception {
        if (ingest != null) {
            ingest.close();
        }
        if (bus != null) {
            bus.close();
        }
    }
}
