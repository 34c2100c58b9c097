package io.safegrid.ingest.camera;

import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camera intake: brings every configured camera's pictures onto {@code Topic.FRAMES}, decoded,
 * scaled to the camera's analysis size and thinned to its analysis fps, and reports every camera's
 * stream (how long since its last picture) on {@code Topic.STREAMS}, where analytics judges video loss.
 * <ul>
 *   <li>PULL cameras: a thread per camera opens the URL with FFmpeg and reopens it with backoff.</li>
 *   <li>PUSH cameras: edge boxes connect to {@code node.videoPushPort} (see {@link PushHeader}).</li>
 * </ul>
 * Pushed streams and files are decoded by a {@link DecodePool} of about one thread per core;
 * network pulls decode on their own thread (FFmpeg's reads block there).
 * Cameras added or removed by a config reload are started or stopped. Where several nodes share
 * the cameras, {@link #runOnly} limits this intake to this node's share.
 */
public final class CameraIntake implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraIntake.class);

    private final ConfigSource config;
    private final Bus bus;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final int decodeThreads;
    private DecodePool pool;
    private final Map<String, CameraFeed> feeds = new ConcurrentHashMap<>();
    private final Map<String, PullSession> pulls = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "camera-stream-reports");
        t.setDaemon(true);
        return t;
    });
    private final SnapshotIntake snapshots;
    private volatile PushServer push;
    private int pushPort = -1;
    private volatile boolean closed;
    private volatile Predicate<Camera> runsHere = c -> true;

    /** Pulls retried from 1 s up to 30 s apart; pushed streams and files decoded by a pool of one thread per core. */
    public CameraIntake(ConfigSource config, Bus bus, MeterRegistry meters) {
        this(config, bus, meters, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public CameraIntake(ConfigSource config, Bus bus, MeterRegistry meters, Clock clock,
                        Duration minBackoff, Duration maxBackoff) {
        this(config, bus, meters, clock, minBackoff, maxBackoff, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param decodeThreads threads shared by pushed streams and files (network pulls, whose reads block
     *                      inside FFmpeg, keep a thread each); 0 gives every stream its own thread
     */
    public CameraIntake(ConfigSource config, Bus bus, MeterRegistry meters, Clock clock,
                        Duration minBackoff, Duration maxBackoff, int decodeThreads) {
        if (decodeThreads < 0) {
            throw new IllegalArgumentException("decodeThreads must be 0 or more");
        }
        this.decodeThreads = decodeThreads;
        this.config = config;
        this.bus = bus;
        this.meters = meters;
        this.clock = clock;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.snapshots = new SnapshotIntake(config, this::feed, meters, 2, 32);
        // decoded pictures whose native memory is not yet freed: flat while cameras run, back to 0 once none does
        io.micrometer.core.instrument.Gauge.builder("safegrid.video.frames.native", io.safegrid.picture.NativePixels::live)
                .description("decoded frames held in native memory (intake, bus, analysis, live view)").register(meters);
    }

    /** Where snapshot uploads go; the ingest HTTP server hands them here (see {@code SensorIngest#acceptSnapshots}). */
    public SnapshotIntake snapshots() { return snapshots; }

    /** Opens the push port (unless it is -1) and starts pulling; returns once listening. */
    public synchronized void start() throws InterruptedException {
        Deployment d = config.current();
        if (decodeThreads > 0) {
            pool = new DecodePool(decodeThreads, meters);
        }
        int port = d.node().videoPushPort();
        if (port >= 0) {
            push = new PushServer(config, this::feed, meters, pool, bus, clock);
            pushPort = push.start(d.node().bindAddress(), port);
        }
        reconcile(d);
        config.onChange(this::reconcile);
        StreamReports reports = new StreamReports(bus, clock, feeds::values);
        watch.scheduleWithFixedDelay(() -> {
            try {
                reports.report();
                PushServer p = push;
                if (p != null) {
                    p.logins().tick();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("stream report failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        LOG.info("camera intake started: {} camera(s), {} pulled, push port {}", feeds.size(), pulls.size(), pushPort);
    }

    /**
     * Opens and watches only the cameras {@code runsHere} accepts (all by default): PULL cameras it
     * refuses are stopped, as if removed from the config. A PUSH camera it refuses is not reported
     * (so not judged lost) until its edge box connects here (the box chose this node). Call
     * {@link #ownershipChanged} whenever the answer may have changed.
     */
    public void runOnly(Predicate<Camera> runsHere) {
        this.runsHere = runsHere;
    }

    /** Starts the cameras that now run here and stops those that no longer do. */
    public void ownershipChanged() {
        reconcile(config.current());
    }

    /** The port edge boxes push to, once started; -1 when push is off. */
    public int pushPort() { return pushPort; }

    private CameraFeed feed(Camera c) {
        return feeds.compute(c.id(), (id, old) -> {
            if (old != null && old.camera().equals(c)) {
                return old;
            }
            if (old != null) {
                old.retire();
            }
            return new CameraFeed(c, bus, meters, clock);
        });
    }

    /** Starts what the config added, stops what it removed, restarts pulls whose camera changed. */
    private synchronized void reconcile(Deployment d) {
        if (closed) {
            return;
        }
        List<Camera> cameras = d.cameras();
        for (String id : List.copyOf(feeds.keySet())) {
            Camera now = d.camera(id).filter(c -> !isPull(c) || runsHere.test(c)).orElse(null);
            CameraFeed f = feeds.get(id);
            if (now == null || !now.equals(f.camera())) {
                PullSession p = pulls.remove(id);
                if (p != null) {
                    p.close();
                }
                if (now == null) {
                    feeds.remove(id).retire();
                    LOG.info("camera {} stopped: removed from config or now run by another node", id);
                }
            }
        }
        for (Camera c : cameras) {
            if (!runsHere.test(c)) {
                continue;
            }
            CameraFeed f = feed(c);
            if (c.source() != null && c.source().mode() == CameraSource.Mode.PULL && !pulls.containsKey(c.id())) {
                if (c.source().url() == null || c.source().url().isBlank()) {
                    LOG.warn("camera {}: PULL without url, skipped", c.id());
                    continue;
                }
                PullSession p = new PullSession(f, minBackoff, maxBackoff, pool);
                pulls.put(c.id(), p);
                p.start();
            }
        }
    }

    private static boolean isPull(Camera c) {
        return c.source() != null && c.source().mode() == CameraSource.Mode.PULL;
    }

    @Override
    public synchronized void close() {
        closed = true;
        watch.shutdownNow();
        pulls.values().forEach(PullSession::close);
        pulls.clear();
        if (push != null) {
            push.close();
        }
        if (pool != null) {
            pool.close();
        }
        snapshots.close();
        LOG.info("camera intake stopped");
    }
}
