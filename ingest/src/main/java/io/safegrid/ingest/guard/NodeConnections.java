package io.safegrid.ingest.guard;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections all ingest listeners of this process hold together. Each costs a file handle, and
 * the time-series record, the alarm store and the logs need handles too: ingest keeps at most the
 * process's limit minus {@code reserved} so that a connection flood can never make them fail.
 */
public final class NodeConnections {
    private static final Logger LOG = LoggerFactory.getLogger(NodeConnections.class);
    /** Ingest always gets at least this many, however small the process limit. */
    private static final int FLOOR = 64;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    public NodeConnections(int max) {
        this.max = max;
    }

    private static NodeConnections shared;

    /**
     * The one count of this process (file handles are the process's), created on first use with the
     * process limit minus {@code reserved}; later calls get the same one.
     */
    public static synchronized NodeConnections shared(int reserved) {
        if (shared == null) {
            shared = ofProcessLimit(reserved);
        }
        return shared;
    }

    /** The process's file handle limit minus {@code reserved}. */
    public static NodeConnections ofProcessLimit(int reserved) {
        long limit = processFileLimit();
        int max = (int) Math.max(FLOOR, Math.min(Integer.MAX_VALUE, limit - reserved));
        if (limit - reserved < FLOOR) {
            LOG.warn("file handle limit {} leaves fewer than {} for ingest after {} reserved; raise it (ulimit -n)",
                    limit, FLOOR, reserved);
        }
        LOG.info("ingest holds at most {} connections ({} file handles, {} reserved for the record and stores)",
                max, limit, reserved);
        return new NodeConnections(max);
    }

    static long processFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean u) {
            return u.getMaxFileDescriptorCount();
        }
        return 65_536;
    }

    public int max() { return max; }

    public int open() { return open.get(); }

    boolean tryTake() {
        while (true) {
            int n = open.get();
            if (n >= max) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void give() {
        open.decrementAndGet();
    }
}
