package io.safegrid.ingest.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters every protocol shares ({@code safegrid.ingest.readings{protocol}} accepted,
 * {@code safegrid.ingest.rejected{protocol,reason}}) and the rejection log, which is rate-limited
 * so that a flood of garbage cannot fill the disk.
 */
public final class IngestMetrics {
    private static final Logger LOG = LoggerFactory.getLogger("io.safegrid.ingest.rejected");
    /** At most this many rejection lines per window; the rest are counted and summarised. */
    private static final int LOG_LINES_PER_WINDOW = 20;
    private static final long WINDOW_NANOS = 60_000_000_000L;

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Counter> acceptedByProtocol = new ConcurrentHashMap<>();
    private final Object logLock = new Object();
    private long windowStart = System.nanoTime();
    private int linesInWindow;
    private long suppressed;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() { return registry; }

    public void accepted(String protocol, int readings) {
        Counter c = acceptedByProtocol.get(protocol);   // hot path: no key building
        if (c == null) {
            c = acceptedByProtocol.computeIfAbsent(protocol, p -> Counter.builder("safegrid.ingest.readings").tag("protocol", p)
                    .description("readings accepted onto the bus").register(registry));
        }
        c.increment(readings);
    }

    /** Counts one rejection and logs it (rate-limited) with the peer. */
    public void rejected(String protocol, String reason, SocketAddress peer, String detail) {
        counters.computeIfAbsent("x|" + protocol + "|" + reason,
                k -> Counter.builder("safegrid.ingest.rejected").tag("protocol", protocol).tag("reason", reason)
                        .description("input refused, by protocol and reason").register(registry)).increment();
        long dropped = -1;
        synchronized (logLock) {
            long now = System.nanoTime();
            if (now - windowStart > WINDOW_NANOS) {
                windowStart = now;
                linesInWindow = 0;
            }
            if (linesInWindow < LOG_LINES_PER_WINDOW) {
                linesInWindow++;
                dropped = suppressed;
                suppressed = 0;
            } else {
                suppressed++;
            }
        }
        if (dropped >= 0) {
            LOG.warn("{} rejected from {}: {} ({}){}", protocol, peer, reason, detail,
                    dropped > 0 ? " [" + dropped + " similar lines suppressed]" : "");
        }
    }

    /** A counter with a protocol tag, e.g. connections or backpressure pauses. */
    public void count(String name, String protocol) {
        counters.computeIfAbsent(name + "|" + protocol,
                k -> Counter.builder(name).tag("protocol", protocol).register(registry)).increment();
    }
}
