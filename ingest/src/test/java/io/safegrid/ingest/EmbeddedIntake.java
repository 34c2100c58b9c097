package io.safegrid.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.safegrid.config.Deployment;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.intake.IngestMetrics;
import io.safegrid.ingest.intake.ReadingIntake;
import io.safegrid.ingest.intake.ReadingWindow;
import io.safegrid.ingest.session.DeviceSessions;
import io.safegrid.ingest.session.RateLimits;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.reading.Reading;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The intake a protocol handler hands readings to, on a real in-process bus, without sockets: a
 * handler under test runs in Netty's {@link EmbeddedChannel}, and the test reads what it wrote back
 * and what reached the bus.
 */
public final class EmbeddedIntake implements AutoCloseable {
    public final InProcessBus bus = new InProcessBus();
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final List<Reading> readings = new CopyOnWriteArrayList<>();
    public final Clock clock = Clock.systemUTC();
    public final DeviceDirectory directory;
    public final ReadingIntake intake;

    public EmbeddedIntake() { this(TestDeployments.deployment()); }

    public EmbeddedIntake(Deployment d) {
        this.directory = DeviceDirectory.of(d);
        bus.subscribe(Topic.READINGS, "test", (k, r) -> readings.add(r));
        DeviceSessions sessions = new DeviceSessions(() -> directory, bus, registry, clock);
        RateLimits limits = new RateLimits(clock, () -> d.node().maxReadingsPerSecondPerDevice());
        this.intake = new ReadingIntake(bus, limits, sessions, new IngestMetrics(registry), ReadingWindow.lenient(clock));
    }

    /** A connection whose pipeline {@code handlers} builds, as the listener's initializer would. */
    public EmbeddedChannel channel(Consumer<EmbeddedChannel> handlers) {
        EmbeddedChannel ch = new EmbeddedChannel();
        handlers.accept(ch);
        return ch;
    }

    /** A connection with these handlers. */
    public EmbeddedChannel channel(ChannelHandler... handlers) {
        return new EmbeddedChannel(handlers);
    }

    /** Value of {@code safegrid.ingest.rejected{protocol,reason}}. */
    public double rejected(String protocol, String reason) {
        Counter c = registry.find("safegrid.ingest.rejected").tag("protocol", protocol).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    /** Value of a counter tagged with the protocol, e.g. {@code safegrid.ingest.connections}. */
    public double counted(String name, String protocol) {
        Counter c = registry.find(name).tag("protocol", protocol).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        bus.close();
    }
}
